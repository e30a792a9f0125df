#include "grantrec/reconcile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/progress.h"
#include "base/util.h"

static const char *const tranche_status_names[] = {
	[GR_TRANCHE_RECEIVED] = "received",
	[GR_TRANCHE_OUTSTANDING] = "outstanding",
	[GR_TRANCHE_OVERDUE] = "overdue",
};

const char *gr_tranche_status_name(enum gr_tranche_status status)
{
	return tranche_status_names[status];
}

/* (member, currency) -> rate group, found once per pair rather than once
 * per line: an open-addressing table keyed by member and currency. */
struct group_cache {
	uint64_t *keys;   /* 0: empty */
	long *groups;
	size_t cap, count;
};

struct work {
	struct gr_recon *r;
	struct gr_diags *diags;
	bool oom;
	struct gr_strset line_names;   /* budget line texts, budget and ledger */
	long *line_slot;               /* [members x names] -> index in r->lines */
	size_t slot_names;             /* names the slot table was sized for */
	uint32_t *ledger_name;         /* ledger budget_line id -> line_names id */
	/* The exact unrounded total, gathered without fractions per line:
	 * each rate's local amounts summed at a fixed 6 decimals (what a
	 * ledger amount may carry), divided by the rate once at the end. */
	gr_i128 *rate_sum6;            /* [rate_count] */
	gr_i128 direct_sum6;           /* grant-currency lines */
	mpq_t exact_big;               /* lines whose amount needs GMP, exact */
	struct fast_rate *fast;        /* [rate_count], filled on first use */
	struct group_cache groups;
	mpz_t scratch;                 /* one line's cents, for messages */
};

__attribute__((format(printf, 6, 7)))
static void finding(struct work *w, enum gr_severity sev, const char *code,
                    const char *file, long line, const char *fmt, ...)
{
	struct gr_recon *r = w->r;
	if (!gr_grow((void **)&r->findings, &r->finding_cap, r->finding_count + 1,
	             sizeof(*r->findings))) {
		w->oom = true;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	char *message = gr_vasprintf(fmt, ap);
	va_end(ap);
	if (!message) {
		w->oom = true;
		return;
	}
	r->findings[r->finding_count++] = (struct gr_finding){
		.severity = sev, .code = code, .file = file, .line = line,
		.message = message,
	};
	if (sev != GR_SEV_NOTE)
		r->warnings++;
}

static char *money(char buf[GR_MONEY_BUF], const mpz_t cents)
{
	return gr_cents_grouped(buf, cents);
}

/* ---- conversion ---------------------------------------------------------- */

/* A rate prepared for 128-bit conversion: cents = amount x den100 /
 * (10^scale x num), with den100 = den(rate) x 100 below 2^63 and num below
 * 2^100, so that with an amount below 2^63 and a scale of at most 6 neither
 * product passes 2^127. Longer rates (transfer averages can be) take GMP. */
struct fast_rate {
	bool ready, fits;
	int64_t den100;
	gr_i128 num;
};

static gr_i128 i128_of(const mpz_t z)
{
	/* z is known to be below 2^100 in magnitude. */
	size_t words = 0;
	uint64_t w[2] = {0, 0};
	mpz_export(w, &words, -1, sizeof(w[0]), 0, 0, z);
	gr_i128 v = (gr_i128)(((gr_u128)w[1] << 64) | w[0]);
	return mpz_sgn(z) < 0 ? -v : v;
}

static void prepare_rate(struct fast_rate *f, const mpq_t value)
{
	f->ready = true;
	f->fits = mpz_sizeinbase(mpq_denref(value), 2) <= 56 &&
	          mpz_sizeinbase(mpq_numref(value), 2) <= 100 &&
	          mpq_sgn(value) > 0;
	if (!f->fits)
		return;
	f->den100 = (int64_t)mpz_get_ui(mpq_denref(value)) * 100;
	f->num = i128_of(mpq_numref(value));
}

static const int64_t pow10_table[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000, 10000000000, 100000000000, 1000000000000,
};

/* cents = amount / rate, rounded; false when the result needs GMP
 * (the caller then takes the exact slow path). */
static bool convert_fast(const struct fast_rate *f, int64_t amount, int scale,
                         enum gr_rounding rounding, int64_t *cents)
{
	if (!f->fits || scale > 6)
		return false;
	gr_i128 n = (gr_i128)amount * f->den100;
	gr_i128 d = (gr_i128)pow10_table[scale] * f->num;
	gr_i128 q = gr_div_round_i128(n, d, rounding);
	if (q > INT64_MAX || q < -INT64_MAX)
		return false;
	*cents = (int64_t)q;
	return true;
}

/* cents = amount / rate with GMP: any length. */
static void convert_exact(mpz_t cents, const struct gr_dec *amount,
                          const mpq_t rate, enum gr_rounding rounding)
{
	mpz_t num, den;
	mpz_inits(num, den, NULL);
	mpz_mul(num, amount->coef, mpq_denref(rate));
	mpz_mul_ui(num, num, 100);
	mpz_ui_pow_ui(den, 10, (unsigned long)amount->scale);
	mpz_mul(den, den, mpq_numref(rate));
	gr_div_round(cents, num, den, rounding);
	mpz_clears(num, den, NULL);
}

/* Keeps a line's converted amount: in 64 bits, or in big_cents. */
static bool store_cents(struct gr_recon *r, struct gr_converted *c,
                        const mpz_t cents)
{
	if (mpz_fits_slong_p(cents)) {
		c->cents = mpz_get_si(cents);
		c->cents_big = false;
		return true;
	}
	if (!gr_grow((void **)&r->big_cents, &r->big_cents_cap,
	             r->big_cents_count + 1, sizeof(*r->big_cents)))
		return false;
	mpz_init_set(r->big_cents[r->big_cents_count], cents);
	c->cents = (int64_t)r->big_cents_count++;
	c->cents_big = true;
	return true;
}

void gr_converted_cents(const struct gr_recon *r, size_t i, mpz_t out)
{
	const struct gr_converted *c = &r->converted[i];
	if (c->cents_big)
		mpz_set(out, r->big_cents[c->cents]);
	else
		mpz_set_si(out, (long)c->cents);
}

void gr_add_converted(mpz_t acc, const struct gr_recon *r, size_t i)
{
	const struct gr_converted *c = &r->converted[i];
	if (c->cents_big)
		mpz_add(acc, acc, r->big_cents[c->cents]);
	else if (c->cents >= 0)
		mpz_add_ui(acc, acc, (unsigned long)c->cents);
	else
		mpz_sub_ui(acc, acc, -(unsigned long)c->cents);
}

static uint64_t group_key(uint32_t member, const char *currency)
{
	uint64_t k = (uint64_t)member << 24;
	for (int i = 0; i < 3; i++)
		k |= (uint64_t)(unsigned char)currency[i] << (8 * i);
	return k + 1;
}

static bool cached_group(struct group_cache *gc, const struct gr_fx *fx,
                         enum gr_fx_method method, uint32_t member,
                         const char *currency, long *group)
{
	if (gc->count * 2 >= gc->cap) {
		size_t cap = gc->cap ? gc->cap * 2 : 64;
		uint64_t *keys = gr_calloc(cap, sizeof(*keys));
		long *groups = gr_calloc(cap, sizeof(*groups));
		if (!keys || !groups) {
			free(keys);
			free(groups);
			return false;
		}
		for (size_t i = 0; i < gc->cap; i++) {
			if (!gc->keys[i])
				continue;
			size_t h = (size_t)(gc->keys[i] * 0x9E3779B97F4A7C15u) & (cap - 1);
			while (keys[h])
				h = (h + 1) & (cap - 1);
			keys[h] = gc->keys[i];
			groups[h] = gc->groups[i];
		}
		free(gc->keys);
		free(gc->groups);
		gc->keys = keys;
		gc->groups = groups;
		gc->cap = cap;
	}
	uint64_t key = group_key(member, currency);
	size_t h = (size_t)(key * 0x9E3779B97F4A7C15u) & (gc->cap - 1);
	while (gc->keys[h] && gc->keys[h] != key)
		h = (h + 1) & (gc->cap - 1);
	if (!gc->keys[h]) {
		gc->keys[h] = key;
		gc->groups[h] = gr_fx_group(fx, method, member, currency);
		gc->count++;
	}
	*group = gc->groups[h];
	return true;
}

static void group_cache_release(struct group_cache *gc)
{
	free(gc->keys);
	free(gc->groups);
}

/* amount x 10^(6 - scale): the amount at the fixed six decimals. */
static gr_i128 at_six_decimals(int64_t amount, int scale)
{
	return (gr_i128)amount * pow10_table[6 - scale];
}

/* Lines of one member in one currency that share a conversion problem:
 * reported once, with the first line and a count, not line by line. */
struct fallback {
	size_t member;
	char currency[4];
	size_t first_line;  /* ledger index */
	size_t count;
	long worst_gap;     /* stale rates: the largest age in days */
	size_t worst_line;  /* ... and the line that has it */
};

struct tally {
	struct fallback *items;
	size_t count, cap;
};

/* The entry of (member, currency), added when new; NULL when out of memory. */
static struct fallback *tally(struct tally *t, const struct gr_line *line,
                              size_t index)
{
	for (size_t k = 0; k < t->count; k++)
		if (t->items[k].member == line->member &&
		    strcmp(t->items[k].currency, line->currency) == 0) {
			t->items[k].count++;
			return &t->items[k];
		}
	if (!gr_grow((void **)&t->items, &t->cap, t->count + 1, sizeof(*t->items)))
		return NULL;
	struct fallback *f = &t->items[t->count++];
	*f = (struct fallback){ .member = line->member, .first_line = index,
	                        .count = 1, .worst_line = index };
	memcpy(f->currency, line->currency, 4);
	return f;
}

/* A daily rate older than this many days is reported: the ECB skips
 * weekends and holidays (four days at Easter), not weeks; a hand-kept
 * table may hold weekly rates. Two weeks without a rate is a gap. */
#define GR_STALE_DAYS 14

static void report_missing_rate(struct work *w, const struct gr_line *line,
                                enum gr_fx_result res)
{
	const struct gr_recon *r = w->r;
	const struct gr_ledger *ledger = r->ledger;
	const struct gr_member *m = &r->grant->members[line->member];
	char day[11];
	gr_date_iso(day, line->date);
	const struct gr_fx *fx = r->fx;
	switch (m->fx) {
	case GR_FX_DAILY:
		if (res == GR_FX_NO_CURRENCY) {
			gr_error(w->diags, gr_line_input(ledger, line)->path, line->line,
			         "no daily rate for currency '%s' in %s (member '%s' "
			         "uses fx = daily); is the code right?", line->currency,
			         fx->daily_path, m->id);
		} else {
			char first[11];
			gr_date_iso(first, gr_fx_first_date(fx, GR_FX_DAILY, 0,
			                                     line->currency));
			gr_error(w->diags, gr_line_input(ledger, line)->path, line->line,
			         "no daily rate for %s on or before %s in %s: the first "
			         "is dated %s", line->currency, day, fx->daily_path,
			         first);
		}
		break;
	case GR_FX_MONTHLY:
		day[7] = '\0';
		if (res == GR_FX_NO_CURRENCY)
			gr_error(w->diags, gr_line_input(ledger, line)->path, line->line,
			         "no monthly rate for currency '%s' in %s (member '%s' "
			         "uses fx = monthly); is the code right?", line->currency,
			         fx->monthly_path, m->id);
		else
			gr_error(w->diags, gr_line_input(ledger, line)->path, line->line,
			         "no monthly rate for %s for %s in %s", line->currency,
			         day, fx->monthly_path);
		break;
	case GR_FX_TRANSFER_AVERAGE:
		gr_error(w->diags, gr_line_input(ledger, line)->path, line->line,
		         "no transfer in %s to member '%s' in %s (member '%s' uses "
		         "fx = transfer-average, which needs at least one)",
		         line->currency, m->id, fx->transfers_path, m->id);
		break;
	}
}

static bool convert_lines(struct work *w, struct tally *fallbacks,
                          struct tally *stale)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_ledger *ledger = r->ledger;
	struct tally missing = {0};  /* lines without a rate */
	struct gr_dec amount;        /* a line's amount, when GMP is needed */
	gr_dec_init(&amount);
	mpz_t cents;
	mpz_init(cents);
	mpq_t v;
	mpq_init(v);
	size_t errors_before = w->diags->errors;
	for (size_t i = 0; i < ledger->count && !w->oom; i++) {
		const struct gr_line *line = &ledger->lines[i];
		struct gr_converted *c = &r->converted[i];
		c->rate = GR_NO_RATE;
		/* As of a date, later lines do not exist yet; but from the end
		 * date on, a line dated after the end is still listed as outside
		 * the period, as it would be without a date. */
		c->in_scope = !r->as_of_given || line->date <= r->as_of ||
			(r->as_of >= g->end && line->date > g->end);
		if (!c->in_scope) {
			r->lines_after_as_of++;
			continue;
		}
		c->eligible = line->date >= g->start && line->date <= g->end;
		size_t digits = gr_line_digits(ledger, line);
		if (digits > GR_SPREADSHEET_DIGITS) {
			char q[GR_MONEY_BUF];
			finding(w, GR_SEV_WARNING, "amount-beyond-15-digits",
			        gr_line_input(ledger, line)->path, line->line,
			        "amount %s %s has %zu significant digits: exact here and "
			        "in the JSON, but a spreadsheet keeps 15, so the "
			        "workbook shows its exact text beside the number",
			        gr_line_amount_str(q, ledger, line), line->currency,
			        digits);
		}
		c->in_quarter = r->quarter >= 0 &&
			line->date >= r->quarters[r->quarter].from &&
			line->date <= r->quarters[r->quarter].to;
		if (memcmp(line->currency, g->currency, 4) == 0) {
			/* Two decimals or fewer: already in cents, give or take
			 * zeros, exactly (unless the cents pass 64 bits). */
			if (!line->amount_big && line->scale <= 2 &&
			    !__builtin_mul_overflow(line->amount,
			                            pow10_table[2 - line->scale],
			                            &c->cents)) {
				if (c->eligible)
					w->direct_sum6 += at_six_decimals(line->amount,
					                                  line->scale);
				continue;
			}
			gr_line_amount(ledger, line, &amount);
			bool inexact;
			gr_dec_to_cents(cents, &amount, g->rounding, &inexact);
			if (!store_cents(r, c, cents)) {
				w->oom = true;
				break;
			}
			if (inexact) {
				char q[GR_MONEY_BUF], t[GR_MONEY_BUF];
				finding(w, GR_SEV_WARNING, "grant-currency-decimals",
				        gr_line_input(ledger, line)->path, line->line,
				        "amount %s %s has more than two decimals: counted as "
				        "%s (%s)", gr_dec_str(q, &amount),
				        line->currency, gr_cents_str(t, cents),
				        gr_rounding_name(g->rounding));
			}
			if (c->eligible) {
				if (line->amount_big) {
					gr_dec_to_mpq(v, &amount);
					mpq_add(w->exact_big, w->exact_big, v);
				} else {
					w->direct_sum6 += at_six_decimals(line->amount,
					                                  line->scale);
				}
			}
			continue;
		}
		const struct gr_member *m = &g->members[line->member];
		long group;
		if (!cached_group(&w->groups, r->fx, m->fx, line->member,
		                  line->currency, &group)) {
			w->oom = true;
			break;
		}
		size_t rate;
		enum gr_fx_result res = gr_fx_find_in(r->fx, m->fx, group,
		                                      line->date, &rate);
		/* As of a date, transfers made later do not exist yet. */
		if (res == GR_FX_FALLBACK && r->fx->rates[rate].date > r->as_of)
			res = GR_FX_NO_RATE;
		if (res == GR_FX_NO_CURRENCY || res == GR_FX_NO_RATE) {
			/* One error per member and currency, with a count of the
			 * other lines: a missing table should not bury the screen. */
			size_t before = missing.count;
			if (!tally(&missing, line, i)) {
				w->oom = true;
				break;
			}
			if (missing.count > before)
				report_missing_rate(w, line, res);
			continue;
		}
		if (res == GR_FX_FALLBACK && !tally(fallbacks, line, i)) {
			w->oom = true;
			break;
		}
		const struct gr_rate *rt = &r->fx->rates[rate];
		long age = (long)(line->date - rt->date);
		if (m->fx == GR_FX_DAILY && age > GR_STALE_DAYS) {
			struct fallback *st = tally(stale, line, i);
			if (!st) {
				w->oom = true;
				break;
			}
			if (age > st->worst_gap) {
				st->worst_gap = age;
				st->worst_line = i;
			}
		}
		c->rate = (uint32_t)rate;
		r->rate_used[rate] = true;
		struct fast_rate *f = &w->fast[rate];
		if (!f->ready)
			prepare_rate(f, rt->value);
		if (line->amount_big ||
		    !convert_fast(f, line->amount, line->scale, g->rounding,
		                  &c->cents)) {
			gr_line_amount(ledger, line, &amount);
			convert_exact(cents, &amount, rt->value, g->rounding);
			if (!store_cents(r, c, cents)) {
				w->oom = true;
				break;
			}
		}
		if (c->eligible) {
			if (line->amount_big) {
				gr_line_amount(ledger, line, &amount);
				gr_dec_to_mpq(v, &amount);
				mpq_div(v, v, rt->value);
				mpq_add(w->exact_big, w->exact_big, v);
			} else {
				w->rate_sum6[rate] += at_six_decimals(line->amount,
				                                      line->scale);
			}
		}
	}
	for (size_t k = 0; k < missing.count; k++) {
		const struct fallback *f = &missing.items[k];
		if (f->count > 1)
			gr_diag_add(w->diags, GR_SEV_NOTE,
			            gr_line_input(ledger,
			                          &ledger->lines[f->first_line])->path, 0,
			            "%zu more line%s of member '%s' in %s %s no rate "
			            "either", f->count - 1, f->count == 2 ? "" : "s",
			            g->members[f->member].id, f->currency,
			            f->count == 2 ? "has" : "have");
	}
	free(missing.items);
	gr_dec_clear(&amount);
	mpz_clear(cents);
	mpq_clear(v);
	return !w->oom && w->diags->errors == errors_before;
}

/* ---- budget lines -------------------------------------------------------- */

static long name_id(struct work *w, const char *name)
{
	long id = gr_strset_intern(&w->line_names, name, strlen(name));
	if (id < 0)
		w->oom = true;
	return id;
}

static struct gr_line_result *add_line_result(struct work *w, size_t member,
                                              long name)
{
	struct gr_recon *r = w->r;
	size_t cap = r->line_count;
	/* r->lines grows one at a time; results are few (members x lines). */
	if (!gr_grow((void **)&r->lines, &cap, r->line_count + 1,
	             sizeof(*r->lines))) {
		w->oom = true;
		return NULL;
	}
	struct gr_line_result *lr = &r->lines[r->line_count];
	memset(lr, 0, sizeof(*lr));
	lr->member = member;
	lr->budget_line = (uint32_t)name;
	lr->seq = r->line_count;
	mpz_inits(lr->budget, lr->actual, lr->variance, lr->quarter_actual, NULL);
	w->line_slot[member * w->slot_names + (size_t)name] = (long)r->line_count;
	r->line_count++;
	return lr;
}

static int line_result_cmp(const void *a, const void *b)
{
	const struct gr_line_result *x = a, *y = b;
	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	if (x->budgeted != y->budgeted)
		return x->budgeted ? -1 : 1;
	/* budgeted: budget.csv order; unbudgeted: first appearance */
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* |variance| * 100 > threshold * |budget|, exactly. */
static void assess_variance(const struct gr_grant *g, const mpz_t budget,
                            const mpz_t variance, bool *has_pct,
                            char pct[32], bool *over)
{
	if (mpz_sgn(budget) == 0) {
		*has_pct = false;
		pct[0] = '\0';
		*over = mpz_sgn(variance) != 0;
		return;
	}
	*has_pct = true;
	mpq_t q;
	mpq_init(q);
	mpz_mul_ui(mpq_numref(q), variance, 100);
	mpz_set(mpq_denref(q), budget);
	mpq_canonicalize(q);
	char buf[GR_MONEY_BUF];
	snprintf(pct, 32, "%s", gr_mpq_str(buf, q, 2));
	mpz_t lhs, rhs, pow;
	mpz_inits(lhs, rhs, pow, NULL);
	mpz_abs(lhs, variance);
	mpz_mul_ui(lhs, lhs, 100);
	mpz_ui_pow_ui(pow, 10, (unsigned long)g->threshold.scale);
	mpz_mul(lhs, lhs, pow);
	mpz_abs(rhs, budget);
	mpz_mul(rhs, rhs, g->threshold.coef);
	*over = mpz_cmp(lhs, rhs) > 0;
	mpz_clears(lhs, rhs, pow, NULL);
	mpq_clear(q);
}

static bool build_budget_lines(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_tables *t = r->tables;
	const struct gr_ledger *ledger = r->ledger;

	/* One id space for budget-line names from both sources. */
	for (size_t i = 0; i < t->budget_count; i++)
		name_id(w, t->budget[i].budget_line);
	w->ledger_name = gr_calloc(ledger->budget_lines.count,
	                           sizeof(*w->ledger_name));
	if (!w->ledger_name)
		return false;
	for (size_t i = 0; i < ledger->budget_lines.count; i++)
		w->ledger_name[i] = (uint32_t)name_id(w, ledger->budget_lines.strings[i]);
	if (w->oom)
		return false;
	w->slot_names = w->line_names.count;
	size_t slots = g->member_count * w->slot_names;
	w->line_slot = gr_malloc((slots ? slots : 1) * sizeof(*w->line_slot));
	if (!w->line_slot)
		return false;
	for (size_t i = 0; i < slots; i++)
		w->line_slot[i] = -1;

	for (size_t i = 0; i < t->budget_count; i++) {
		const struct gr_budget_row *b = &t->budget[i];
		if (b->member == GR_NO_MEMBER)
			continue;
		long id = name_id(w, b->budget_line);
		struct gr_line_result *lr = add_line_result(w, b->member, id);
		if (!lr)
			return false;
		lr->budgeted = true;
		lr->budget_row_line = b->line;
		mpz_set(lr->budget, b->amount);
	}
	/* Unbudgeted lines, in order of first appearance; the first line is
	 * remembered for the finding. */
	size_t unb_cap = 0, unb_count = 0, unb_lines_cap = 0;
	size_t *unb_first = NULL, *unb_lines = NULL;
	size_t budgeted = r->line_count;   /* unbudgeted slots come after */
	for (size_t i = 0; i < ledger->count; i++) {
		const struct gr_line *line = &ledger->lines[i];
		const struct gr_converted *c = &r->converted[i];
		if (!c->eligible)
			continue;
		size_t name = w->ledger_name[line->budget_line];
		long slot = w->line_slot[line->member * w->slot_names + name];
		if (slot < 0) {
			struct gr_line_result *lr = add_line_result(w, line->member,
			                                            (long)name);
			if (!lr || !gr_grow((void **)&unb_first, &unb_cap, unb_count + 1,
			                    sizeof(*unb_first)) ||
			    !gr_grow((void **)&unb_lines, &unb_lines_cap, unb_count + 1,
			             sizeof(*unb_lines))) {
				free(unb_first);
				free(unb_lines);
				w->oom = true;
				return false;
			}
			unb_lines[unb_count] = 0;
			unb_first[unb_count++] = i;
			slot = (long)r->line_count - 1;
		}
		gr_add_converted(r->lines[slot].actual, r, i);
		if ((size_t)slot >= budgeted)
			unb_lines[(size_t)slot - budgeted]++;
		if (c->in_quarter)
			gr_add_converted(r->lines[slot].quarter_actual, r, i);
	}
	/* Unbudgeted findings before sorting, while slots still hold. */
	for (size_t k = 0; k < unb_count; k++) {
		const struct gr_line *line = &ledger->lines[unb_first[k]];
		size_t name = w->ledger_name[line->budget_line];
		const struct gr_line_result *lr =
			&r->lines[w->line_slot[line->member * w->slot_names + name]];
		size_t n = unb_lines[k];
		char amount[GR_MONEY_BUF];
		finding(w, GR_SEV_WARNING, "unbudgeted-line", gr_line_input(ledger, line)->path,
		        line->line,
		        "budget line '%s' is not in the budget of member '%s': %zu "
		        "line%s, %s %s, counted in actual", ledger->budget_lines.strings
		        [line->budget_line], g->members[line->member].id, n,
		        n == 1 ? "" : "s", g->currency, money(amount, lr->actual));
	}
	free(unb_first);
	free(unb_lines);

	gr_sort(r->lines, r->line_count, sizeof(*r->lines), line_result_cmp);
	for (size_t i = 0; i < r->line_count; i++) {
		struct gr_line_result *lr = &r->lines[i];
		lr->name = gr_strdup(w->line_names.strings[lr->budget_line]);
		if (!lr->name)
			return false;
		mpz_sub(lr->variance, lr->actual, lr->budget);
		assess_variance(g, lr->budget, lr->variance, &lr->has_pct,
		                lr->variance_pct, &lr->over_threshold);
	}
	/* Comments: attach, and report those that match nothing. */
	for (size_t k = 0; k < t->comment_count; k++) {
		const struct gr_comment *cm = &t->comments[k];
		bool matched = false;
		for (size_t i = 0; i < r->line_count; i++) {
			struct gr_line_result *lr = &r->lines[i];
			if (lr->member == cm->member && strcmp(lr->name, cm->budget_line) == 0) {
				lr->comment = cm->text;
				matched = true;
			}
		}
		if (!matched)
			finding(w, GR_SEV_WARNING, "comment-unknown-line",
			        t->comments_path, cm->line,
			        "comment for budget line '%s' of member '%s', which has "
			        "neither budget nor spending", cm->budget_line,
			        g->members[cm->member].id);
	}
	return !w->oom;
}

/* ---- periods ------------------------------------------------------------- */

static bool add_period(struct work *w, struct gr_period_result **list,
                       size_t *count, size_t *cap, const char *label,
                       gr_date from, gr_date to)
{
	size_t members = w->r->grant->member_count;
	if (!gr_grow((void **)list, cap, *count + 1, sizeof(**list))) {
		w->oom = true;
		return false;
	}
	struct gr_period_result *p = &(*list)[*count];
	memset(p, 0, sizeof(*p));
	snprintf(p->label, sizeof(p->label), "%s", label);
	p->from = from;
	p->to = to;
	mpz_init(p->actual);
	p->by_member = gr_malloc(members * sizeof(*p->by_member));
	if (!p->by_member) {
		mpz_clear(p->actual);
		w->oom = true;
		return false;
	}
	for (size_t m = 0; m < members; m++)
		mpz_init(p->by_member[m]);
	(*count)++;
	return true;
}

static bool build_periods(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	size_t qcap = 0, mcap = 0;
	char label[32];
	if (g->quarters == GR_QUARTERS_GRANT) {
		for (int q = 0;; q++) {
			gr_date from = gr_date_add_months(g->start, 3 * q);
			if (from > g->end)
				break;
			gr_date to = gr_date_add_months(g->start, 3 * (q + 1)) - 1;
			snprintf(label, sizeof(label), "Q%d", q + 1);
			if (!add_period(w, &r->quarters, &r->quarter_count, &qcap, label,
			                from, to < g->end ? to : g->end))
				return false;
		}
	} else {
		int y, m, d;
		gr_date_to_ymd(g->start, &y, &m, &d);
		gr_date qstart = gr_date_from_ymd(y, (m - 1) / 3 * 3 + 1, 1);
		while (qstart <= g->end) {
			gr_date next = gr_date_add_months(qstart, 3);
			gr_date_to_ymd(qstart, &y, &m, &d);
			snprintf(label, sizeof(label), "%04d-Q%d", y, (m - 1) / 3 + 1);
			if (!add_period(w, &r->quarters, &r->quarter_count, &qcap, label,
			                qstart < g->start ? g->start : qstart,
			                next - 1 < g->end ? next - 1 : g->end))
				return false;
			qstart = next;
		}
	}
	for (gr_date ms = gr_date_month_start(g->start); ms <= g->end;
	     ms = gr_date_add_months(ms, 1)) {
		int y, m, d;
		gr_date_to_ymd(ms, &y, &m, &d);
		snprintf(label, sizeof(label), "%04d-%02d", y, m);
		gr_date to = gr_date_add_months(ms, 1) - 1;
		if (!add_period(w, &r->months, &r->month_count, &mcap, label,
		                ms < g->start ? g->start : ms,
		                to < g->end ? to : g->end))
			return false;
	}
	return true;
}

static size_t period_of(const struct gr_period_result *list, size_t count,
                        gr_date date)
{
	size_t lo = 0, hi = count;
	while (lo + 1 < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (list[mid].from <= date)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* ---- countries ----------------------------------------------------------- */

static int country_cmp(const void *a, const void *b)
{
	const struct gr_country_result *x = a, *y = b;
	if (!*x->name || !*y->name)
		return (*x->name == '\0') - (*y->name == '\0');
	return strcmp(x->name, y->name);
}

static bool build_countries(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_ledger *ledger = r->ledger;
	size_t members = r->grant->member_count;
	size_t n = ledger->countries.count;
	r->countries = gr_calloc(n, sizeof(*r->countries));
	if (!r->countries)
		return false;
	for (size_t i = 0; i < n; i++) {
		struct gr_country_result *c = &r->countries[i];
		c->name = ledger->countries.strings[i];
		mpz_inits(c->actual, c->quarter_actual, NULL);
		c->by_member = gr_malloc(members * sizeof(*c->by_member));
		if (!c->by_member) {
			/* Keep only the countries that are whole, for the release. */
			mpz_clears(c->actual, c->quarter_actual, NULL);
			r->country_count = i;
			return false;
		}
		for (size_t m = 0; m < members; m++)
			mpz_init(c->by_member[m]);
		r->country_count = i + 1;
	}
	for (size_t i = 0; i < ledger->count; i++) {
		if (!r->converted[i].eligible)
			continue;
		const struct gr_line *line = &ledger->lines[i];
		struct gr_country_result *c = &r->countries[line->country];
		gr_add_converted(c->actual, r, i);
		gr_add_converted(c->by_member[line->member], r, i);
		if (r->converted[i].in_quarter)
			gr_add_converted(c->quarter_actual, r, i);
	}
	/* A country is listed when a counted line names it (a country whose
	 * lines all lie outside the period, or "" when every line has a
	 * country, is not). */
	bool *used = gr_calloc(n, sizeof(*used));
	if (!used)
		return false;
	for (size_t i = 0; i < ledger->count; i++)
		if (r->converted[i].eligible)
			used[ledger->lines[i].country] = true;
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		struct gr_country_result *c = &r->countries[i];
		if (used[i]) {
			r->countries[kept++] = *c;
			continue;
		}
		mpz_clears(c->actual, c->quarter_actual, NULL);
		for (size_t m = 0; m < members; m++)
			mpz_clear(c->by_member[m]);
		free(c->by_member);
	}
	r->country_count = kept;
	free(used);
	gr_sort(r->countries, r->country_count, sizeof(*r->countries), country_cmp);
	return true;
}

/* ---- duplicates ---------------------------------------------------------- */

/* Two lines are the same booking when member, voucher, date, budget line,
 * currency and amount (as a number: 1.5 = 1.50) all agree. A member's
 * lines are contiguous in the ledger, so one member is checked at a time:
 * each line's key is hashed into an open-addressing table that holds the
 * first line of every distinct key; only lines whose hashes agree are
 * compared in full. One probe per line, no sort. */

struct first_seen {
	uint32_t tag;     /* the hash's upper half; 0 with index 0: empty */
	uint32_t index;   /* within the member's lines, + 1 */
};

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9E3779B97F4A7C15u + (h << 6) + (h >> 2);
	return h * 0xFF51AFD7ED558CCDu;
}

static uint64_t booking_hash(const struct gr_line *line)
{
	uint64_t h = 0xCBF29CE484222325u;
	for (const unsigned char *p = (const unsigned char *)line->voucher; *p; p++)
		h = (h ^ *p) * 0x100000001B3u;
	h = mix(h, (uint64_t)(uint32_t)line->date);
	h = mix(h, line->budget_line);
	h = mix(h, (uint64_t)(unsigned char)line->currency[0] |
	           (uint64_t)(unsigned char)line->currency[1] << 8 |
	           (uint64_t)(unsigned char)line->currency[2] << 16);
	if (!line->amount_big) {
		/* The number, not its writing: 1.50 and 1.5 hash alike. */
		int64_t a = line->amount;
		int scale = line->scale;
		while (scale > 0 && a % 10 == 0) {
			a /= 10;
			scale--;
		}
		h = mix(h, (uint64_t)a);
		h = mix(h, (uint64_t)scale);
	}
	return h;
}

static bool same_booking(const struct gr_ledger *ledger,
                         const struct gr_line *x, const struct gr_line *y)
{
	return x->date == y->date && x->budget_line == y->budget_line &&
	       memcmp(x->currency, y->currency, 4) == 0 &&
	       strcmp(x->voucher, y->voucher) == 0 &&
	       gr_line_amount_cmp(ledger, x, y) == 0;
}

#define NOT_DUPLICATE UINT32_MAX

static bool member_duplicates(struct work *w, size_t first, size_t end,
                              struct first_seen *table, size_t mask,
                              uint32_t *first_of)
{
	const struct gr_ledger *ledger = w->r->ledger;
	memset(table, 0, (mask + 1) * sizeof(*table));
	for (size_t i = first; i < end; i++) {
		first_of[i - first] = NOT_DUPLICATE;
		if (!w->r->converted[i].in_scope)
			continue;
		const struct gr_line *line = &ledger->lines[i];
		uint64_t h = booking_hash(line);
		uint32_t tag = (uint32_t)(h >> 32);
		size_t slot = (size_t)h & mask;
		for (; table[slot].index; slot = (slot + 1) & mask) {
			const struct first_seen *f = &table[slot];
			if (f->tag == tag &&
			    same_booking(ledger, &ledger->lines[first + f->index - 1],
			                 line)) {
				first_of[i - first] = f->index - 1;
				break;
			}
		}
		if (!table[slot].index)
			table[slot] = (struct first_seen){
				.tag = tag, .index = (uint32_t)(i - first + 1),
			};
	}
	/* Report in input order. */
	for (size_t i = first; i < end; i++) {
		if (first_of[i - first] == NOT_DUPLICATE)
			continue;
		const struct gr_line *b = &ledger->lines[i];
		const struct gr_line *a = &ledger->lines[first + first_of[i - first]];
		const char *b_path = gr_line_input(ledger, b)->path;
		char day[11], amount[GR_MONEY_BUF];
		finding(w, GR_SEV_WARNING, "duplicate-booking", b_path, b->line,
		        "probable double booking: voucher '%s' of %s, %s %s on '%s' "
		        "is also on %s%sline %ld (both are counted)", b->voucher,
		        gr_date_iso(day, b->date),
		        gr_line_amount_str(amount, ledger, b), b->currency,
		        ledger->budget_lines.strings[b->budget_line],
		        a->source == b->source ? "" : gr_line_input(ledger, a)->path,
		        a->source == b->source ? "" : " ", (long)a->line);
	}
	return !w->oom;
}

static size_t member_end(const struct gr_ledger *ledger, size_t first)
{
	size_t end = first;
	while (end < ledger->count &&
	       ledger->lines[end].member == ledger->lines[first].member)
		end++;
	return end;
}

static bool find_duplicates(struct work *w)
{
	const struct gr_ledger *ledger = w->r->ledger;
	size_t largest = 0;
	for (size_t i = 0, end; i < ledger->count; i = end) {
		end = member_end(ledger, i);
		if (end - i > largest)
			largest = end - i;
	}
	if (largest < 2)
		return true;
	if (largest >= UINT32_MAX) {
		w->oom = true;   /* a member of four billion lines: cannot happen */
		return false;
	}
	size_t slots = 16;
	while (slots < largest + largest / 2)   /* at most two thirds full */
		slots *= 2;
	struct first_seen *table = gr_malloc(slots * sizeof(*table));
	uint32_t *first_of = gr_malloc(largest * sizeof(*first_of));
	bool ok = table && first_of;
	for (size_t i = 0; ok && i < ledger->count;) {
		size_t end = member_end(ledger, i);
		ok = member_duplicates(w, i, end, table, slots - 1, first_of);
		i = end;
	}
	free(table);
	free(first_of);
	return ok;
}

/* ---- funds ---------------------------------------------------------------- */

static void build_funds(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_tables *t = r->tables;
	struct gr_totals *tot = &r->totals;
	for (size_t i = 0; i < t->tranche_count; i++) {
		const struct gr_tranche *tr = &t->tranches[i];
		struct gr_tranche_result *res = &r->tranches[i];
		if (tr->received != GR_NO_DATE && tr->received <= r->as_of) {
			res->status = GR_TRANCHE_RECEIVED;
			mpz_add(tot->received, tot->received, tr->amount);
			if (r->quarter >= 0 && tr->received >= r->quarters[r->quarter].from)
				mpz_add(tot->quarter_received, tot->quarter_received,
				        tr->amount);
		} else {
			mpz_add(tot->outstanding, tot->outstanding, tr->amount);
			if (tr->due <= r->as_of) {
				res->status = GR_TRANCHE_OVERDUE;
				res->days_overdue = (long)(r->as_of - tr->due);
			} else {
				res->status = GR_TRANCHE_OUTSTANDING;
			}
		}
	}
	for (size_t i = 0; i < t->disbursement_count; i++) {
		const struct gr_disbursement *d = &t->disbursements[i];
		if (d->date > r->as_of)
			continue;
		struct gr_member_result *mr = &r->members[d->member];
		mpz_add(mr->disbursed, mr->disbursed, d->amount);
		mpz_add(tot->disbursed, tot->disbursed, d->amount);
		if (r->quarter >= 0 && d->date >= r->quarters[r->quarter].from) {
			mpz_add(mr->quarter_disbursed, mr->quarter_disbursed, d->amount);
			mpz_add(tot->quarter_disbursed, tot->quarter_disbursed, d->amount);
		}
	}
	/* The lead's share is what it kept of the tranches: received minus
	 * everything passed on. Then position = disbursed - actual holds for
	 * every member, and the positions add up to received - actual. */
	struct gr_member_result *lead = &r->members[g->lead];
	mpz_sub(lead->disbursed, tot->received, tot->disbursed);
	for (size_t m = 0; m < g->member_count; m++)
		mpz_sub(r->members[m].position, r->members[m].disbursed,
		        r->members[m].actual);
	mpz_set(tot->lead_cash, lead->position);
	/* The lead's quarter share: what it kept of this quarter's receipts. */
	mpz_sub(lead->quarter_disbursed, tot->quarter_received,
	        tot->quarter_disbursed);
}

/* ---- checks and findings about the whole ---------------------------------- */

static void add_check(struct gr_recon *r, const char *name, const mpz_t left,
                      const mpz_t right)
{
	struct gr_check *c = &r->checks[r->check_count++];
	c->name = name;
	mpz_init_set(c->left, left);
	mpz_init_set(c->right, right);
	c->ok = mpz_cmp(left, right) == 0;
}

static void build_checks(struct work *w, const mpz_t ledger_total)
{
	struct gr_recon *r = w->r;
	mpz_t sum;
	mpz_init(sum);
	for (size_t m = 0; m < r->grant->member_count; m++)
		mpz_add(sum, sum, r->members[m].actual);
	add_check(r, "members = ledger", sum, ledger_total);
	mpz_set_ui(sum, 0);
	for (size_t i = 0; i < r->line_count; i++)
		mpz_add(sum, sum, r->lines[i].actual);
	add_check(r, "budget lines = ledger", sum, ledger_total);
	mpz_set_ui(sum, 0);
	for (size_t i = 0; i < r->country_count; i++)
		mpz_add(sum, sum, r->countries[i].actual);
	add_check(r, "countries = ledger", sum, ledger_total);
	mpz_set_ui(sum, 0);
	for (size_t i = 0; i < r->quarter_count; i++)
		mpz_add(sum, sum, r->quarters[i].actual);
	add_check(r, "quarters = ledger", sum, ledger_total);
	mpz_set_ui(sum, 0);
	for (size_t m = 0; m < r->grant->member_count; m++)
		mpz_add(sum, sum, r->members[m].position);
	mpz_t expected;
	mpz_init(expected);
	mpz_sub(expected, r->totals.received, r->totals.actual);
	add_check(r, "funds positions = received - actual", sum, expected);
	if (r->has_fx_effect) {
		const struct gr_fx_effect *fe = &r->totals.fx_effect;
		mpz_add(sum, r->totals.budget, fe->spending_effect);
		mpz_add(sum, sum, fe->rate_effect);
		add_check(r, "budget + spending effect + rate effect = actual", sum,
		          r->totals.actual);
	}
	mpz_clears(sum, expected, NULL);
	for (size_t i = 0; i < r->check_count; i++) {
		if (r->checks[i].ok)
			continue;
		char a[GR_MONEY_BUF], b[GR_MONEY_BUF];
		finding(w, GR_SEV_ERROR, "check-failed", NULL, 0,
		        "cross-check %s does not hold: %s against %s",
		        r->checks[i].name, money(a, r->checks[i].left),
		        money(b, r->checks[i].right));
	}
}

static void grant_findings(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_tables *t = r->tables;
	struct gr_totals *tot = &r->totals;
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], c[GR_MONEY_BUF], day[11];
	for (size_t i = 0; i < t->budget_count; i++)
		if (t->budget[i].member == GR_NO_MEMBER)
			finding(w, GR_SEV_WARNING, "budget-unknown-member",
			        t->budget_path, t->budget[i].line,
			        "budget row for member '%s', which is not in %s: %s %s "
			        "left out of the budget", t->budget[i].member_id,
			        g->ini_path, g->currency, money(a, t->budget[i].amount));
	if (mpz_cmp(tot->budget, g->amount) != 0)
		finding(w, GR_SEV_WARNING, "budget-total-mismatch", t->budget_path, 0,
		        "the budget adds up to %s %s, the grant amount is %s %s",
		        g->currency, money(a, tot->budget), g->currency,
		        money(b, g->amount));
	if (mpz_sgn(tot->over_ceiling) > 0)
		finding(w, GR_SEV_WARNING, "over-ceiling", NULL, 0,
		        "actual %s %s is %s above the grant amount of %s: the "
		        "excess is the members' own contribution, not a claim on "
		        "the donor", g->currency, money(a, tot->actual),
		        money(b, tot->over_ceiling), money(c, g->amount));
	for (size_t i = 0; i < t->tranche_count; i++)
		if (r->tranches[i].status == GR_TRANCHE_OVERDUE)
			finding(w, GR_SEV_WARNING, "tranche-overdue", t->tranches_path,
			        t->tranches[i].line,
			        "tranche '%s' of %s %s was due on %s and is not received "
			        "(%ld days overdue)", t->tranches[i].name, g->currency,
			        money(a, t->tranches[i].amount),
			        gr_date_iso(day, t->tranches[i].due),
			        r->tranches[i].days_overdue);
	mpz_t sum;
	mpz_init(sum);
	for (size_t i = 0; i < t->tranche_count; i++)
		mpz_add(sum, sum, t->tranches[i].amount);
	if (t->tranche_count > 0 && mpz_cmp(sum, g->amount) != 0)
		finding(w, GR_SEV_WARNING, "tranches-total-mismatch", t->tranches_path,
		        0, "the tranches add up to %s %s, the grant amount is %s",
		        g->currency, money(a, sum), money(b, g->amount));
	mpz_clear(sum);
	if (mpz_cmp(tot->disbursed, tot->received) > 0)
		finding(w, GR_SEV_WARNING, "disbursed-over-received",
		        t->disbursements_path, 0,
		        "the lead passed on %s %s but received %s from the donor",
		        g->currency, money(a, tot->disbursed), money(b, tot->received));
}

/* ---- the whole ------------------------------------------------------------ */

/* ---- scope: as of a date, or one quarter --------------------------------- */

static gr_date latest_input_date(const struct gr_recon *r)
{
	const struct gr_tables *t = r->tables;
	/* Ledger dates outside the grant period do not count: one line typed
	 * with a wrong year would otherwise make every tranche overdue. */
	const struct gr_grant *g = r->grant;
	gr_date latest = GR_NO_DATE;
	for (size_t i = 0; i < r->ledger->count; i++) {
		gr_date d = r->ledger->lines[i].date;
		if (d > latest && d >= g->start && d <= g->end)
			latest = d;
	}
	for (size_t i = 0; i < t->disbursement_count; i++)
		if (t->disbursements[i].date > latest)
			latest = t->disbursements[i].date;
	for (size_t i = 0; i < t->tranche_count; i++)
		if (t->tranches[i].received != GR_NO_DATE &&
		    t->tranches[i].received > latest)
			latest = t->tranches[i].received;
	return latest == GR_NO_DATE ? g->end : latest;
}

/* Drops the periods that start after the as-of date and ends the last one
 * there: the quarters shown stop at the date the books are taken. */
static void clip_periods(struct gr_period_result *list, size_t *count,
                         size_t members, gr_date as_of)
{
	size_t keep = 0;
	while (keep < *count && list[keep].from <= as_of)
		keep++;
	if (keep == 0 && *count > 0)
		keep = 1; /* an as-of date before the start: one empty period */
	for (size_t i = keep; i < *count; i++) {
		mpz_clear(list[i].actual);
		for (size_t m = 0; m < members; m++)
			mpz_clear(list[i].by_member[m]);
		free(list[i].by_member);
	}
	*count = keep;
	if (keep > 0 && list[keep - 1].to > as_of && list[keep - 1].from <= as_of)
		list[keep - 1].to = as_of;
}

static bool resolve_scope(struct work *w, const struct gr_recon_request *req)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	r->quarter = -1;
	if (req && req->quarter) {
		const char *q = req->quarter;
		for (size_t i = 0; i < r->quarter_count && r->quarter < 0; i++) {
			const char *label = r->quarters[i].label;
			if (strcmp(q, label) == 0 ||
			    (label[0] == 'Q' && strcmp(q, label + 1) == 0))
				r->quarter = (long)i;
		}
		if (r->quarter < 0) {
			gr_error(w->diags, NULL, 0,
			         "no quarter '%s' in this grant: its quarters are %s to "
			         "%s (%s)", q, r->quarters[0].label,
			         r->quarters[r->quarter_count - 1].label,
			         g->quarters == GR_QUARTERS_GRANT
			         ? "--quarter 1, 2, ..." : "--quarter YYYY-QN");
			return false;
		}
		r->as_of = r->quarters[r->quarter].to;
		r->as_of_given = true;
	} else if (req && req->as_of != GR_NO_DATE) {
		r->as_of = req->as_of;
		r->as_of_given = true;
	} else {
		r->as_of = latest_input_date(r);
	}
	if (r->as_of_given) {
		size_t members = g->member_count;
		clip_periods(r->quarters, &r->quarter_count, members, r->as_of);
		clip_periods(r->months, &r->month_count, members, r->as_of);
	}
	return true;
}

/* ---- burn rate and forecast ------------------------------------------------ */

static void pct_of(char out[32], bool *has, const mpz_t part, const mpz_t whole)
{
	*has = mpz_sgn(whole) != 0;
	out[0] = '\0';
	if (!*has)
		return;
	mpq_t q;
	mpq_init(q);
	mpz_mul_ui(mpq_numref(q), part, 100);
	mpz_set(mpq_denref(q), whole);
	mpq_canonicalize(q);
	char buf[GR_MONEY_BUF];
	snprintf(out, 32, "%s", gr_mpq_str(buf, q, 2));
	mpq_clear(q);
}

static void forecast(const struct gr_recon *r, struct gr_forecast *f,
                     const mpz_t actual, const mpz_t window_actual,
                     const mpz_t budget)
{
	const struct gr_grant *g = r->grant;
	gr_date as_of = r->as_of < g->end ? r->as_of : g->end;
	long period_days = (long)(g->end - g->start) + 1;
	long elapsed = (long)(as_of - g->start) + 1;
	if (elapsed < 0)
		elapsed = 0;
	long remaining = period_days - elapsed;
	mpz_t e, p, num;
	mpz_inits(e, p, num, NULL);
	mpz_set_si(e, elapsed);
	mpz_set_si(p, period_days);
	bool dummy;
	pct_of(f->elapsed_pct, &dummy, e, p);
	pct_of(f->spent_pct, &f->has_spent_pct, actual, budget);
	mpz_set(f->window_actual, window_actual);
	/* A window cut short by the start counts as the part of three months
	 * it covers: burn = actual in it x full days / (3 x its days). */
	long window_days = (long)(f->window_to - f->window_from) + 1;
	long full_days = (long)(f->window_to - f->window_full_from) + 1;
	if (window_days > 0) {
		mpz_mul_si(num, window_actual, full_days);
		mpz_set_si(e, 3 * window_days);
		gr_div_round(f->burn_monthly, num, e, GR_ROUND_HALF_UP);
	} else {
		mpz_set_ui(f->burn_monthly, 0);
	}
	/* The window's daily rate carried over the days left. */
	if (window_days > 0 && remaining > 0) {
		mpz_mul_si(num, window_actual, remaining);
		mpz_set_si(e, window_days);
		gr_div_round(p, num, e, GR_ROUND_HALF_UP);
		mpz_add(f->projected, actual, p);
	} else {
		mpz_set(f->projected, actual);
	}
	mpz_sub(num, f->projected, budget);
	bool over = false;
	assess_variance(g, budget, num, &f->has_projected_pct, f->projected_pct,
	                &over);
	f->off_budget = over && mpz_sgn(budget) != 0;
	mpz_clears(e, p, num, NULL);
}

static void build_forecasts(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_ledger *ledger = r->ledger;
	/* The three months that end on the as-of date (at the latest the end
	 * date), not reaching back before the start. */
	gr_date to = r->as_of < g->end ? r->as_of : g->end;
	gr_date full_from = gr_date_add_months(to + 1, -3);
	gr_date from = full_from > g->start ? full_from : g->start;
	mpz_t *window = gr_calloc(g->member_count, sizeof(*window));
	if (!window) {
		w->oom = true;
		return;
	}
	mpz_t total;
	mpz_init(total);
	for (size_t m = 0; m < g->member_count; m++)
		mpz_init(window[m]);
	for (size_t i = 0; i < ledger->count; i++) {
		const struct gr_converted *c = &r->converted[i];
		gr_date d = ledger->lines[i].date;
		if (c->eligible && d >= from && d <= to) {
			gr_add_converted(window[ledger->lines[i].member], r, i);
			gr_add_converted(total, r, i);
		}
	}
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], day[11];
	for (size_t m = 0; m < g->member_count; m++) {
		struct gr_member_result *mr = &r->members[m];
		mr->forecast.window_from = from;
		mr->forecast.window_full_from = full_from;
		mr->forecast.window_to = to;
		forecast(r, &mr->forecast, mr->actual, window[m], mr->budget);
		/* Only for a stated as-of date: without one the tool cannot know
		 * whether the books are complete up to the last date it saw. */
		if (mr->forecast.off_budget && r->as_of_given && r->as_of < g->end)
			finding(w, GR_SEV_WARNING, "forecast-off-budget", NULL, 0,
			        "member '%s' is projected to end at %s %s against a "
			        "budget of %s (%s%%), at the rate of the three months "
			        "to %s", g->members[m].id, g->currency,
			        money(a, mr->forecast.projected), money(b, mr->budget),
			        mr->forecast.projected_pct,
			        gr_date_iso(day, r->as_of));
		mpz_clear(window[m]);
	}
	r->totals.forecast.window_from = from;
	r->totals.forecast.window_full_from = full_from;
	r->totals.forecast.window_to = to;
	forecast(r, &r->totals.forecast, r->totals.actual, total,
	         r->totals.budget);
	mpz_clear(total);
	free(window);
}

/* ---- the exchange-rate effect ------------------------------------------------ */

/* Currency code -> index of its planning rate + 1 (0: none). Codes are
 * three capital letters (the ledger reader makes sure), 26^3 of them. */
#define CURRENCY_CODES (26 * 26 * 26)

static bool currency_index(const char *code, size_t *index)
{
	for (int i = 0; i < 3; i++)
		if (code[i] < 'A' || code[i] > 'Z')
			return false;
	*index = (size_t)(code[0] - 'A') * 676 + (size_t)(code[1] - 'A') * 26 +
	         (size_t)(code[2] - 'A');
	return true;
}

static void build_fx_effect(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_ledger *ledger = r->ledger;
	const struct gr_fx *fx = r->fx;
	r->has_fx_effect = fx->budget_rate_count > 0 || g->budget_rates.name;
	if (!r->has_fx_effect)
		return;
	uint32_t *planned = gr_calloc(CURRENCY_CODES, sizeof(*planned));
	struct fast_rate *fast = gr_calloc(fx->budget_rate_count + 1,
	                                   sizeof(*fast));
	if (!planned || !fast) {
		free(planned);
		free(fast);
		w->oom = true;
		return;
	}
	for (size_t k = 0; k < fx->budget_rate_count; k++) {
		size_t idx;
		const struct gr_budget_rate *br =
			gr_fx_budget_rate(fx, fx->budget_rates[k].currency);
		/* The first row of a currency is its rate, as gr_fx_budget_rate
		 * says. */
		if (br == &fx->budget_rates[k] &&
		    currency_index(br->currency, &idx)) {
			planned[idx] = (uint32_t)k + 1;
			prepare_rate(&fast[k], br->value);
		}
	}
	mpz_t at;
	mpz_init(at);
	struct gr_dec amount;
	gr_dec_init(&amount);
	const char *missing_reported[64];
	size_t nmissing = 0;
	for (size_t i = 0; i < ledger->count; i++) {
		const struct gr_converted *c = &r->converted[i];
		if (!c->eligible)
			continue;
		const struct gr_line *line = &ledger->lines[i];
		struct gr_fx_effect *fe = &r->members[line->member].fx_effect;
		size_t idx;
		const struct gr_budget_rate *br = NULL;
		if (c->rate != GR_NO_RATE)
			br = currency_index(line->currency, &idx)
				? (planned[idx] ? &fx->budget_rates[planned[idx] - 1] : NULL)
				: gr_fx_budget_rate(fx, line->currency);
		if (c->rate == GR_NO_RATE || !br) {
			/* Not converted, or no planning rate: no rate effect. */
			gr_add_converted(fe->at_budget_rates, r, i);
			if (c->rate != GR_NO_RATE) {
				bool reported = false;
				for (size_t k = 0; k < nmissing && !reported; k++)
					reported = strcmp(missing_reported[k], line->currency) == 0;
				if (!reported && nmissing < 64) {
					missing_reported[nmissing++] = line->currency;
					finding(w, GR_SEV_WARNING, "no-budget-rate",
					        gr_line_input(ledger, line)->path, line->line,
					        "no planning rate for %s in %s: its spending is "
					        "all counted as spending effect", line->currency,
					        fx->budget_rates_path ? fx->budget_rates_path
					                              : g->budget_rates.name);
				}
			}
			continue;
		}
		const struct fast_rate *f = &fast[br - fx->budget_rates];
		int64_t cents;
		if (!line->amount_big && f->ready &&
		    convert_fast(f, line->amount, line->scale, g->rounding, &cents)) {
			if (cents >= 0)
				mpz_add_ui(fe->at_budget_rates, fe->at_budget_rates,
				           (unsigned long)cents);
			else
				mpz_sub_ui(fe->at_budget_rates, fe->at_budget_rates,
				           -(unsigned long)cents);
			continue;
		}
		gr_line_amount(ledger, line, &amount);
		convert_exact(at, &amount, br->value, g->rounding);
		mpz_add(fe->at_budget_rates, fe->at_budget_rates, at);
	}
	struct gr_fx_effect *tot = &r->totals.fx_effect;
	for (size_t m = 0; m < g->member_count; m++) {
		struct gr_member_result *mr = &r->members[m];
		struct gr_fx_effect *fe = &mr->fx_effect;
		mpz_sub(fe->rate_effect, mr->actual, fe->at_budget_rates);
		mpz_sub(fe->spending_effect, mr->variance, fe->rate_effect);
		mpz_add(tot->at_budget_rates, tot->at_budget_rates,
		        fe->at_budget_rates);
		mpz_add(tot->rate_effect, tot->rate_effect, fe->rate_effect);
		mpz_add(tot->spending_effect, tot->spending_effect,
		        fe->spending_effect);
	}
	mpz_clear(at);
	gr_dec_clear(&amount);
	free(planned);
	free(fast);
}

/* ---- what the outstanding tranches cover ------------------------------------ */

static void build_cover(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	struct gr_totals *tot = &r->totals;
	struct gr_cover *all = &tot->cover;
	for (size_t m = 0; m < g->member_count; m++) {
		struct gr_member_result *mr = &r->members[m];
		if (mpz_sgn(mr->position) < 0) {
			mpz_neg(mr->cover.prefinanced, mr->position);
			mpz_add(all->prefinanced, all->prefinanced, mr->cover.prefinanced);
		}
	}
	/* The donor pays at most the ceiling, and at most what was spent:
	 * what is still to come covers pre-financing up to the outstanding
	 * tranches and the room left under min(ceiling, actual). */
	mpz_ptr room = tot->room;
	mpz_set(room, mpz_cmp(tot->actual, g->amount) < 0 ? tot->actual
	                                                   : g->amount);
	mpz_sub(room, room, tot->received);
	if (mpz_sgn(room) < 0)
		mpz_set_ui(room, 0);
	mpz_set(tot->claimable, tot->outstanding);
	if (mpz_cmp(room, tot->claimable) < 0)
		mpz_set(tot->claimable, room);
	mpz_set(all->covered, tot->claimable);
	if (mpz_cmp(all->prefinanced, all->covered) < 0)
		mpz_set(all->covered, all->prefinanced);
	/* Pro rata to pre-financing; cents left by the rounding down go to the
	 * largest remainders (then to the earlier member), so the shares add
	 * up exactly. */
	size_t n = g->member_count;
	mpz_t *rem = gr_calloc(n, sizeof(*rem));
	mpz_t given, num;
	mpz_inits(given, num, NULL);
	if (!rem) {
		w->oom = true;
		mpz_clears(given, num, NULL);
		return;
	}
	for (size_t m = 0; m < n; m++) {
		struct gr_cover *c = &r->members[m].cover;
		mpz_init(rem[m]);
		if (mpz_sgn(all->prefinanced) == 0)
			continue;
		mpz_mul(num, c->prefinanced, all->covered);
		mpz_fdiv_qr(c->covered, rem[m], num, all->prefinanced);
		mpz_add(given, given, c->covered);
	}
	mpz_sub(given, all->covered, given); /* cents still to hand out */
	while (mpz_sgn(given) > 0) {
		size_t best = n;
		for (size_t m = 0; m < n; m++)
			if (mpz_sgn(rem[m]) > 0 &&
			    (best == n || mpz_cmp(rem[m], rem[best]) > 0))
				best = m;
		if (best == n)
			break;
		mpz_add_ui(r->members[best].cover.covered,
		           r->members[best].cover.covered, 1);
		mpz_set_ui(rem[best], 0);
		mpz_sub_ui(given, given, 1);
	}
	for (size_t m = 0; m < n; m++) {
		struct gr_cover *c = &r->members[m].cover;
		mpz_sub(c->own_contribution, c->prefinanced, c->covered);
		mpz_clear(rem[m]);
	}
	mpz_sub(all->own_contribution, all->prefinanced, all->covered);
	free(rem);
	mpz_clears(given, num, NULL);
}

/* ---- declared figures ------------------------------------------------------- */

static void build_declared(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_tables *t = r->tables;
	if (t->declared_count == 0)
		return;
	r->declared = gr_calloc(t->declared_count, sizeof(*r->declared));
	if (!r->declared) {
		w->oom = true;
		return;
	}
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], c[GR_MONEY_BUF];
	for (size_t i = 0; i < t->declared_count; i++) {
		const struct gr_declared *d = &t->declared[i];
		long q = -1;
		for (size_t k = 0; k < r->quarter_count && q < 0; k++) {
			const char *label = r->quarters[k].label;
			if (strcmp(label, d->quarter) == 0 ||
			    (label[0] == 'Q' && strcmp(label + 1, d->quarter) == 0))
				q = (long)k;
		}
		if (q < 0) {
			finding(w, GR_SEV_WARNING, "declared-unknown-quarter",
			        t->declared_path, d->line,
			        "member '%s' declared %s for '%s', which is not a "
			        "quarter of this reconciliation (%s to %s)",
			        g->members[d->member].id, money(a, d->amount), d->quarter,
			        r->quarters[0].label,
			        r->quarters[r->quarter_count - 1].label);
			continue;
		}
		struct gr_declared_result *res = &r->declared[r->declared_count++];
		res->member = d->member;
		res->quarter = (size_t)q;
		res->declared = d;
		mpz_init_set(res->ledger, r->quarters[q].by_member[d->member]);
		mpz_init(res->difference);
		mpz_sub(res->difference, d->amount, res->ledger);
		if (mpz_sgn(res->difference) != 0)
			finding(w, GR_SEV_WARNING, "declared-differs", t->declared_path,
			        d->line,
			        "member '%s' reported %s %s for %s; the ledger gives %s "
			        "(a difference of %s)", g->members[d->member].id,
			        g->currency, money(a, d->amount), d->quarter,
			        money(b, res->ledger), money(c, res->difference));
	}
}

/* ---- the whole ------------------------------------------------------------ */

static void forecast_init(struct gr_forecast *f)
{
	mpz_inits(f->window_actual, f->burn_monthly, f->projected, NULL);
}

static void forecast_clear(struct gr_forecast *f)
{
	mpz_clears(f->window_actual, f->burn_monthly, f->projected, NULL);
}

static void effect_init(struct gr_fx_effect *e)
{
	mpz_inits(e->at_budget_rates, e->rate_effect, e->spending_effect, NULL);
}

static void effect_clear(struct gr_fx_effect *e)
{
	mpz_clears(e->at_budget_rates, e->rate_effect, e->spending_effect, NULL);
}

static void cover_init(struct gr_cover *c)
{
	mpz_inits(c->prefinanced, c->covered, c->own_contribution, NULL);
}

static void cover_clear(struct gr_cover *c)
{
	mpz_clears(c->prefinanced, c->covered, c->own_contribution, NULL);
}

static bool init_results(struct gr_recon *r)
{
	const struct gr_grant *g = r->grant;
	struct gr_totals *tot = &r->totals;
	mpz_inits(tot->budget, tot->actual, tot->variance, tot->received,
	          tot->outstanding, tot->disbursed, tot->over_ceiling,
	          tot->outside_period, tot->quarter_actual, tot->quarter_received,
	          tot->quarter_disbursed, tot->lead_cash, tot->claimable,
	          tot->room, NULL);
	mpq_inits(tot->rounding_difference, tot->exact_actual, NULL);
	forecast_init(&tot->forecast);
	effect_init(&tot->fx_effect);
	cover_init(&tot->cover);
	r->converted = gr_calloc(r->ledger->count, sizeof(*r->converted));
	r->rate_used = gr_calloc(r->fx->rate_count, sizeof(*r->rate_used));
	r->members = gr_calloc(g->member_count, sizeof(*r->members));
	r->tranches = gr_calloc(r->tables->tranche_count, sizeof(*r->tranches));
	if (!r->converted || !r->rate_used || !r->members || !r->tranches)
		return false;
	r->members_ready = true;
	for (size_t m = 0; m < g->member_count; m++) {
		struct gr_member_result *mr = &r->members[m];
		mpz_inits(mr->budget, mr->actual, mr->variance, mr->disbursed,
		          mr->position, mr->quarter_actual, mr->quarter_disbursed,
		          NULL);
		forecast_init(&mr->forecast);
		effect_init(&mr->fx_effect);
		cover_init(&mr->cover);
	}
	return true;
}

enum gr_status gr_reconcile(struct gr_recon *r, const struct gr_grant *g,
                            const struct gr_tables *t, const struct gr_fx *fx,
                            const struct gr_ledger *ledger,
                            struct gr_diags *diags)
{
	return gr_reconcile_request(r, g, t, fx, ledger, NULL, diags);
}

enum gr_status gr_reconcile_request(struct gr_recon *r,
                                    const struct gr_grant *g,
                                    const struct gr_tables *t,
                                    const struct gr_fx *fx,
                                    const struct gr_ledger *ledger,
                                    const struct gr_recon_request *request,
                                    struct gr_diags *diags)
{
	gr_progress("reconciling", 0, 0);
	memset(r, 0, sizeof(*r));
	r->grant = g;
	r->tables = t;
	r->fx = fx;
	r->ledger = ledger;
	struct work w = { .r = r, .diags = diags };
	mpq_init(w.exact_big);
	mpz_init(w.scratch);
	enum gr_status st = GR_OK;
	struct tally fallbacks = {0}, stale = {0};
	mpz_t ledger_total;
	mpz_init(ledger_total);
	if (!init_results(r))
		goto oom;
	w.rate_sum6 = gr_calloc(fx->rate_count ? fx->rate_count : 1,
	                        sizeof(*w.rate_sum6));
	w.fast = gr_calloc(fx->rate_count ? fx->rate_count : 1, sizeof(*w.fast));
	if (!w.rate_sum6 || !w.fast)
		goto oom;
	if (!build_periods(&w))
		goto oom;
	if (!resolve_scope(&w, request)) {
		st = GR_E_INPUT;
		goto done;
	}

	if (!convert_lines(&w, &fallbacks, &stale)) {
		if (w.oom)
			goto oom;
		st = GR_E_INPUT;
		goto done;
	}

	/* Budget per member and in total (rows of unknown members excluded). */
	for (size_t i = 0; i < t->budget_count; i++) {
		const struct gr_budget_row *b = &t->budget[i];
		if (b->member == GR_NO_MEMBER)
			continue;
		mpz_add(r->members[b->member].budget, r->members[b->member].budget,
		        b->amount);
		mpz_add(r->totals.budget, r->totals.budget, b->amount);
	}

	if (!build_countries(&w))
		goto oom;
	char a[GR_MONEY_BUF], day[11], from[11], to[11];
	for (size_t i = 0; i < ledger->count; i++) {
		const struct gr_line *line = &ledger->lines[i];
		const struct gr_converted *c = &r->converted[i];
		if (!c->in_scope)
			continue;
		if (!c->eligible) {
			gr_add_converted(r->totals.outside_period, r, i);
			gr_converted_cents(r, i, w.scratch);
			finding(&w, GR_SEV_WARNING, "outside-period", gr_line_input(ledger, line)->path,
			        line->line,
			        "dated %s, outside the grant period %s to %s: %s %s not "
			        "counted in actual", gr_date_iso(day, line->date),
			        gr_date_iso(from, g->start), gr_date_iso(to, g->end),
			        g->currency, money(a, w.scratch));
			continue;
		}
		gr_add_converted(ledger_total, r, i);
		struct gr_member_result *mr = &r->members[line->member];
		gr_add_converted(mr->actual, r, i);
		mr->lines++;
		if (c->in_quarter) {
			gr_add_converted(mr->quarter_actual, r, i);
			gr_add_converted(r->totals.quarter_actual, r, i);
		}
		size_t q = period_of(r->quarters, r->quarter_count, line->date);
		gr_add_converted(r->quarters[q].actual, r, i);
		gr_add_converted(r->quarters[q].by_member[line->member], r, i);
		size_t mo = period_of(r->months, r->month_count, line->date);
		gr_add_converted(r->months[mo].actual, r, i);
		gr_add_converted(r->months[mo].by_member[line->member], r, i);
	}
	mpz_set(r->totals.actual, ledger_total);
	bool over;
	for (size_t m = 0; m < g->member_count; m++) {
		struct gr_member_result *mr = &r->members[m];
		mpz_sub(mr->variance, mr->actual, mr->budget);
		assess_variance(g, mr->budget, mr->variance, &mr->has_variance_pct,
		                mr->variance_pct, &over);
	}
	mpz_sub(r->totals.variance, r->totals.actual, r->totals.budget);
	assess_variance(g, r->totals.budget, r->totals.variance,
	                &r->totals.has_variance_pct, r->totals.variance_pct, &over);
	mpz_sub(r->totals.over_ceiling, r->totals.actual, g->amount);
	if (mpz_sgn(r->totals.over_ceiling) < 0)
		mpz_set_ui(r->totals.over_ceiling, 0);

	/* The exact unrounded total: per rate, sum(local) / rate. */
	mpq_t v;
	mpq_init(v);
	mpq_set(r->totals.exact_actual, w.exact_big);
	gr_mpz_set_i128(mpq_numref(v), w.direct_sum6);
	mpz_set_ui(mpq_denref(v), 1000000);
	mpq_canonicalize(v);
	mpq_add(r->totals.exact_actual, r->totals.exact_actual, v);
	for (size_t i = 0; i < fx->rate_count; i++) {
		if (w.rate_sum6[i] == 0)
			continue;
		/* sum6 / 10^6 / (num / den) = sum6 x den / (10^6 x num) */
		gr_mpz_set_i128(mpq_numref(v), w.rate_sum6[i]);
		mpz_mul(mpq_numref(v), mpq_numref(v), mpq_denref(fx->rates[i].value));
		mpz_mul_ui(mpq_denref(v), mpq_numref(fx->rates[i].value), 1000000);
		mpq_canonicalize(v);
		mpq_add(r->totals.exact_actual, r->totals.exact_actual, v);
	}
	mpq_set_z(v, r->totals.actual);
	mpq_set_ui(r->totals.rounding_difference, 100, 1);
	mpq_div(v, v, r->totals.rounding_difference);  /* actual in units */
	mpq_sub(r->totals.rounding_difference, v, r->totals.exact_actual);
	mpq_clear(v);

	if (!find_duplicates(&w))
		goto oom;
	for (size_t k = 0; k < fallbacks.count; k++) {
		const struct fallback *fb = &fallbacks.items[k];
		const struct gr_line *line = &ledger->lines[fb->first_line];
		const struct gr_rate *rt = &fx->rates[r->converted[fb->first_line].rate];
		finding(&w, GR_SEV_WARNING, "fx-fallback", gr_line_input(ledger, line)->path,
		        line->line,
		        "no transfer in %s to member '%s' on or before %s: %zu "
		        "line%s converted at the rate of the first transfers, made "
		        "on %s (%s up to line %ld)", fb->currency,
		        g->members[fb->member].id,
		        gr_date_iso(day, line->date), fb->count,
		        fb->count == 1 ? "" : "s", gr_date_iso(a, rt->date),
		        rt->path, rt->line);
	}
	for (size_t k = 0; k < stale.count; k++) {
		const struct fallback *old = &stale.items[k];
		const struct gr_line *line = &ledger->lines[old->worst_line];
		const struct gr_rate *rt = &fx->rates[r->converted[old->worst_line].rate];
		finding(&w, GR_SEV_WARNING, "fx-stale-rate", gr_line_input(ledger, line)->path,
		        line->line,
		        "%zu line%s of member '%s' in %s took a daily rate more than "
		        "%d days older than the line; the oldest: %s for %s (%ld "
		        "days, %s line %ld). Is the rate table complete?", old->count,
		        old->count == 1 ? "" : "s", g->members[old->member].id,
		        old->currency, GR_STALE_DAYS, gr_date_iso(a, rt->date),
		        gr_date_iso(day, line->date), old->worst_gap, rt->path,
		        rt->line);
	}
	if (!build_budget_lines(&w))
		goto oom;
	for (size_t i = 0; i < r->line_count; i++) {
		const struct gr_line_result *lr = &r->lines[i];
		/* Unbudgeted lines have a finding of their own. */
		if (!lr->over_threshold || lr->comment || !lr->budgeted)
			continue;
		char b[GR_MONEY_BUF], c[GR_MONEY_BUF];
		/* Before the end date, spending below the whole budget is the
		 * normal state of the books: noted, not a warning. Spending
		 * already above it is. */
		if (r->as_of_given && r->as_of < g->end &&
		    mpz_cmp(lr->actual, lr->budget) < 0) {
			finding(&w, GR_SEV_NOTE, "under-budget-to-date", t->budget_path,
			        lr->budget_row_line,
			        "budget line '%s' of member '%s' has used %s of %s "
			        "(%s%%) as of %s", lr->name, g->members[lr->member].id,
			        money(b, lr->actual), money(c, lr->budget),
			        lr->variance_pct, gr_date_iso(day, r->as_of));
			continue;
		}
		if (!lr->has_pct)
			finding(&w, GR_SEV_WARNING, "missing-comment", t->budget_path,
			        lr->budget_row_line,
			        "budget line '%s' of member '%s' has a budget of 0.00 "
			        "but an actual of %s, and no comment in comments.csv",
			        lr->name, g->members[lr->member].id,
			        money(b, lr->actual));
		else
			finding(&w, GR_SEV_WARNING, "missing-comment", t->budget_path,
			        lr->budget_row_line,
			        "budget line '%s' of member '%s' is %s%s%% off budget "
			        "(actual %s, budget %s), above the %s%% threshold, and "
			        "has no comment in comments.csv", lr->name,
			        g->members[lr->member].id,
			        lr->variance_pct[0] != '-' ? "+" : "", lr->variance_pct,
			        money(b, lr->actual), money(c, lr->budget),
			        gr_dec_str(a, &g->threshold));
	}
	build_funds(&w);
	grant_findings(&w);
	build_forecasts(&w);
	build_fx_effect(&w);
	build_cover(&w);
	build_declared(&w);
	build_checks(&w, ledger_total);
	if (w.oom)
		goto oom;
	goto done;
oom:
	gr_error(diags, NULL, 0, "out of memory");
	st = GR_E_SYSTEM;
done:
	free(w.rate_sum6);
	free(w.fast);
	group_cache_release(&w.groups);
	mpq_clear(w.exact_big);
	mpz_clear(w.scratch);
	mpz_clear(ledger_total);
	free(fallbacks.items);
	free(stale.items);
	free(w.line_slot);
	free(w.ledger_name);
	gr_strset_release(&w.line_names);
	return st;
}

static void periods_release(struct gr_period_result *list, size_t count,
                            size_t members)
{
	for (size_t i = 0; i < count; i++) {
		mpz_clear(list[i].actual);
		for (size_t m = 0; m < members; m++)
			mpz_clear(list[i].by_member[m]);
		free(list[i].by_member);
	}
	free(list);
}

void gr_recon_release(struct gr_recon *r)
{
	if (!r || !r->grant)
		return;
	size_t members = r->grant->member_count;
	struct gr_totals *tot = &r->totals;
	mpz_clears(tot->budget, tot->actual, tot->variance, tot->received,
	           tot->outstanding, tot->disbursed, tot->over_ceiling,
	           tot->outside_period, tot->quarter_actual, tot->quarter_received,
	           tot->quarter_disbursed, tot->lead_cash, tot->claimable,
	           tot->room, NULL);
	mpq_clears(tot->rounding_difference, tot->exact_actual, NULL);
	forecast_clear(&tot->forecast);
	effect_clear(&tot->fx_effect);
	cover_clear(&tot->cover);
	free(r->converted);
	for (size_t i = 0; i < r->big_cents_count; i++)
		mpz_clear(r->big_cents[i]);
	free(r->big_cents);
	free(r->rate_used);
	if (r->members && r->members_ready) {
		for (size_t m = 0; m < members; m++) {
			struct gr_member_result *mr = &r->members[m];
			mpz_clears(mr->budget, mr->actual, mr->variance, mr->disbursed,
			           mr->position, mr->quarter_actual, mr->quarter_disbursed,
			           NULL);
			forecast_clear(&mr->forecast);
			effect_clear(&mr->fx_effect);
			cover_clear(&mr->cover);
		}
	}
	free(r->members);
	for (size_t i = 0; i < r->line_count; i++) {
		mpz_clears(r->lines[i].budget, r->lines[i].actual,
		           r->lines[i].variance, r->lines[i].quarter_actual, NULL);
		free((char *)r->lines[i].name);
	}
	free(r->lines);
	for (size_t i = 0; i < r->country_count; i++) {
		mpz_clears(r->countries[i].actual, r->countries[i].quarter_actual,
		           NULL);
		for (size_t m = 0; m < members; m++)
			mpz_clear(r->countries[i].by_member[m]);
		free(r->countries[i].by_member);
	}
	free(r->countries);
	periods_release(r->quarters, r->quarter_count, members);
	periods_release(r->months, r->month_count, members);
	free(r->tranches);
	for (size_t i = 0; i < r->finding_count; i++)
		free(r->findings[i].message);
	free(r->findings);
	for (size_t i = 0; i < r->check_count; i++)
		mpz_clears(r->checks[i].left, r->checks[i].right, NULL);
	for (size_t i = 0; i < r->declared_count; i++)
		mpz_clears(r->declared[i].ledger, r->declared[i].difference, NULL);
	free(r->declared);
	memset(r, 0, sizeof(*r));
}
