#include "grantrec/changes.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static const char *const kind_names[] = {
	[GR_CHANGE_LATE] = "late booking",
	[GR_CHANGE_REMOVED] = "removed",
	[GR_CHANGE_CHANGED] = "changed",
};

const char *gr_change_kind_name(enum gr_change_kind kind)
{
	return kind_names[kind];
}

/* A line of one side, ready to be matched: its member id and voucher,
 * and its position among the lines of that voucher. */
struct key {
	const char *member;
	const char *voucher;
	size_t index;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->member, y->member);
	if (c)
		return c;
	c = strcmp(x->voucher, y->voucher);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The in-scope lines of a reconciliation, sorted for matching. Ledger
 * order is file order, so equal vouchers stay in file order. */
static struct key *keys_of(const struct gr_recon *r, size_t *count)
{
	const struct gr_ledger *ledger = r->ledger;
	struct key *keys = gr_malloc((ledger->count ? ledger->count : 1) *
	                             sizeof(*keys));
	if (!keys)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < ledger->count; i++) {
		if (!r->converted[i].in_scope)
			continue;
		keys[n++] = (struct key){
			.member = r->grant->members[ledger->lines[i].member].id,
			.voucher = ledger->lines[i].voucher,
			.index = i,
		};
	}
	gr_sort(keys, n, sizeof(*keys), key_cmp);
	*count = n;
	return keys;
}

/* The same number in two ledgers (1.5 = 1.50). */
static bool amount_equal(const struct gr_ledger *lx, const struct gr_line *x,
                         const struct gr_ledger *ly, const struct gr_line *y)
{
	struct gr_dec a, b;
	gr_dec_init(&a);
	gr_dec_init(&b);
	gr_line_amount(lx, x, &a);
	gr_line_amount(ly, y, &b);
	mpq_t p, q;
	mpq_inits(p, q, NULL);
	gr_dec_to_mpq(p, &a);
	gr_dec_to_mpq(q, &b);
	bool eq = mpq_equal(p, q) != 0;
	mpq_clears(p, q, NULL);
	gr_dec_clear(&a);
	gr_dec_clear(&b);
	return eq;
}

static bool cents_equal(const struct gr_recon *b, size_t i,
                        const struct gr_recon *n, size_t j)
{
	mpz_t x, y;
	mpz_inits(x, y, NULL);
	gr_converted_cents(b, i, x);
	gr_converted_cents(n, j, y);
	bool eq = mpz_cmp(x, y) == 0;
	mpz_clears(x, y, NULL);
	return eq;
}

static unsigned compare_lines(const struct gr_recon *b, size_t i,
                              const struct gr_recon *n, size_t j)
{
	const struct gr_line *x = &b->ledger->lines[i];
	const struct gr_line *y = &n->ledger->lines[j];
	unsigned fields = 0;
	if (!amount_equal(b->ledger, x, n->ledger, y))
		fields |= GR_CHANGED_AMOUNT;
	if (strcmp(x->currency, y->currency) != 0)
		fields |= GR_CHANGED_CURRENCY;
	if (x->date != y->date)
		fields |= GR_CHANGED_DATE;
	if (strcmp(b->ledger->budget_lines.strings[x->budget_line],
	           n->ledger->budget_lines.strings[y->budget_line]) != 0)
		fields |= GR_CHANGED_BUDGET_LINE;
	size_t rx = b->converted[i].rate, ry = n->converted[j].rate;
	if ((rx == GR_NO_RATE) != (ry == GR_NO_RATE) ||
	    (rx != GR_NO_RATE &&
	     !mpq_equal(b->fx->rates[rx].value, n->fx->rates[ry].value)))
		fields |= GR_CHANGED_RATE;
	if (!cents_equal(b, i, n, j))
		fields |= GR_CHANGED_GRANT_AMOUNT;
	return fields;
}

static bool add_change(struct gr_changes *c, enum gr_change_kind kind,
                       size_t before, size_t now, unsigned fields)
{
	if (!gr_grow((void **)&c->lines, &c->line_cap, c->line_count + 1,
	             sizeof(*c->lines)))
		return false;
	c->lines[c->line_count++] = (struct gr_line_change){
		.kind = kind, .before = before, .now = now, .fields = fields,
	};
	switch (kind) {
	case GR_CHANGE_LATE: c->late++; break;
	case GR_CHANGE_REMOVED: c->removed++; break;
	case GR_CHANGE_CHANGED: c->changed++; break;
	}
	return true;
}

/* Reports are quarterly: the previous report covered its books up to the
 * end of the quarter that holds its as-of date. A line dated within that
 * which the previous books lacked was booked late. */
static gr_date reported_until(const struct gr_recon *before)
{
	for (size_t q = 0; q < before->quarter_count; q++)
		if (before->quarters[q].from <= before->as_of &&
		    before->as_of <= before->quarters[q].to)
			return before->quarters[q].to;
	return before->as_of;
}

/* Same member and voucher: compare the k-th with the k-th. */
static int pair_cmp(const struct key *a, const struct key *b)
{
	int c = strcmp(a->member, b->member);
	return c ? c : strcmp(a->voucher, b->voucher);
}

static bool match_lines(struct gr_changes *c)
{
	size_t nb, nn;
	struct key *kb = keys_of(c->before, &nb);
	struct key *kn = keys_of(c->now, &nn);
	bool ok = kb && kn;
	gr_date reported_to = reported_until(c->before);
	size_t i = 0, j = 0;
	while (ok && (i < nb || j < nn)) {
		int cmp = i == nb ? 1 : j == nn ? -1 : pair_cmp(&kb[i], &kn[j]);
		if (cmp < 0) {
			/* An archived line dated after the current as-of date is not
			 * gone, only not counted yet. */
			size_t idx = kb[i++].index;
			if (!c->now->as_of_given ||
			    c->before->ledger->lines[idx].date <= c->now->as_of)
				ok = add_change(c, GR_CHANGE_REMOVED, idx, GR_NO_LINE, 0);
		} else if (cmp > 0) {
			size_t idx = kn[j++].index;
			if (c->now->ledger->lines[idx].date <= reported_to)
				ok = add_change(c, GR_CHANGE_LATE, GR_NO_LINE, idx, 0);
			else
				c->new_after++;
		} else {
			unsigned f = compare_lines(c->before, kb[i].index, c->now,
			                           kn[j].index);
			if (f)
				ok = add_change(c, GR_CHANGE_CHANGED, kb[i].index,
				                kn[j].index, f);
			i++;
			j++;
		}
	}
	free(kb);
	free(kn);
	return ok;
}

/* Report order: the kind, then the file order of the line it is about. */
static int change_cmp(const void *a, const void *b)
{
	const struct gr_line_change *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	size_t ix = x->now != GR_NO_LINE ? x->now : x->before;
	size_t iy = y->now != GR_NO_LINE ? y->now : y->before;
	return ix < iy ? -1 : ix > iy;
}

static bool restate(struct gr_changes *c)
{
	const struct gr_recon *b = c->before, *n = c->now;
	size_t count = b->quarter_count * b->grant->member_count;
	c->restated = gr_calloc(count ? count : 1, sizeof(*c->restated));
	if (!c->restated)
		return false;
	for (size_t q = 0; q < b->quarter_count; q++) {
		const struct gr_period_result *pq = &b->quarters[q];
		if (pq->from > c->reported_to)
			break; /* never reported: nothing to restate */
		const struct gr_period_result *nq = NULL;
		for (size_t k = 0; k < n->quarter_count && !nq; k++)
			if (strcmp(n->quarters[k].label, pq->label) == 0)
				nq = &n->quarters[k];
		for (size_t m = 0; m < b->grant->member_count; m++) {
			struct gr_restated *rs = &c->restated[c->restated_count++];
			const char *id = b->grant->members[m].id;
			rs->quarter = pq->label;
			rs->from = pq->from;
			rs->to = pq->to;
			rs->member = id;
			mpz_inits(rs->before, rs->now, rs->difference, NULL);
			mpz_set(rs->before, pq->by_member[m]);
			long nm = gr_grant_find_member(n->grant, id);
			if (nq && nm >= 0)
				mpz_set(rs->now, nq->by_member[nm]);
			mpz_sub(rs->difference, rs->now, rs->before);
		}
	}
	return true;
}

enum gr_status gr_changes_compute(struct gr_changes *c,
                                  const struct gr_recon *before,
                                  const struct gr_recon *now,
                                  struct gr_diags *diags)
{
	memset(c, 0, sizeof(*c));
	c->before = before;
	c->now = now;
	c->reported_to = reported_until(before);
	if (!match_lines(c) || !restate(c)) {
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	gr_sort(c->lines, c->line_count, sizeof(*c->lines), change_cmp);
	return GR_OK;
}

void gr_changes_release(struct gr_changes *c)
{
	if (!c)
		return;
	free(c->lines);
	for (size_t i = 0; i < c->restated_count; i++)
		mpz_clears(c->restated[i].before, c->restated[i].now,
		           c->restated[i].difference, NULL);
	free(c->restated);
	memset(c, 0, sizeof(*c));
}
