/*
 * convert.c: each ledger line converted to the grant currency at its
 * member's rate: 128-bit exact where it fits, GMP where not, the rate
 * groups cached per (member, currency), and the lines whose rate is
 * missing, a fallback or stale.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/progress.h"
#include "base/util.h"
#include "reconcile/recon_internal.h"

/* ---- conversion ---------------------------------------------------------- */


static gr_i128 i128_of(const mpz_t z)
{
	/* z is known to be below 2^100 in magnitude. */
	size_t words = 0;
	uint64_t w[2] = {0, 0};
	mpz_export(w, &words, -1, sizeof(w[0]), 0, 0, z);
	gr_i128 v = (gr_i128)(((gr_u128)w[1] << 64) | w[0]);
	return mpz_sgn(z) < 0 ? -v : v;
}

void recon_prepare_rate(struct fast_rate *f, const mpq_t value)
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
bool recon_convert_fast(const struct fast_rate *f, int64_t amount, int scale,
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
void recon_convert_exact(mpz_t cents, const struct gr_dec *amount,
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

void recon_group_cache_release(struct group_cache *gc)
{
	free(gc->keys);
	free(gc->groups);
}

/* amount x 10^(6 - scale): the amount at the fixed six decimals. */
static gr_i128 at_six_decimals(int64_t amount, int scale)
{
	return (gr_i128)amount * pow10_table[6 - scale];
}


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

/* A line's exact amount, cents and fraction, when the fast path does not
 * do: kept across lines so that GMP allocates once. */
struct line_scratch {
	struct gr_dec amount;
	mpz_t cents;
	mpq_t v;
};

/* Whether the line counts in this report, inside the period, in the
 * quarter; a finding when its amount is too long for a spreadsheet. */
static bool line_scope(struct work *w, const struct gr_line *line,
                       struct gr_converted *c)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_ledger *ledger = r->ledger;
	c->rate = GR_NO_RATE;
	/* As of a date, later lines do not exist yet; but from the end
	 * date on, a line dated after the end is still listed as outside
	 * the period, as it would be without a date. */
	c->in_scope = !r->as_of_given || line->date <= r->as_of ||
		(r->as_of >= g->end && line->date > g->end);
	if (!c->in_scope) {
		r->lines_after_as_of++;
		return false;
	}
	c->eligible = line->date >= g->start && line->date <= g->end;
	size_t digits = gr_line_digits(ledger, line);
	if (digits > GR_SPREADSHEET_DIGITS) {
		char q[GR_MONEY_BUF];
		recon_finding(w, GR_SEV_WARNING, "amount-beyond-15-digits",
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
	return true;
}

/* A line in the grant currency: its amount rounded to cents. False when
 * out of memory. */
static bool convert_direct(struct work *w, const struct gr_line *line,
                           struct gr_converted *c, struct line_scratch *s)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_ledger *ledger = r->ledger;
	/* Two decimals or fewer: already in cents, give or take
	 * zeros, exactly (unless the cents pass 64 bits). */
	if (!line->amount_big && line->scale <= 2 &&
	    !__builtin_mul_overflow(line->amount, pow10_table[2 - line->scale],
	                            &c->cents)) {
		if (c->eligible)
			w->direct_sum6 += at_six_decimals(line->amount, line->scale);
		return true;
	}
	gr_line_amount(ledger, line, &s->amount);
	bool inexact;
	gr_dec_to_cents(s->cents, &s->amount, g->rounding, &inexact);
	if (!store_cents(r, c, s->cents))
		return false;
	if (inexact) {
		char q[GR_MONEY_BUF], t[GR_MONEY_BUF];
		recon_finding(w, GR_SEV_WARNING, "grant-currency-decimals",
		              gr_line_input(ledger, line)->path, line->line,
		              "amount %s %s has more than two decimals: counted as "
		              "%s (%s)", gr_dec_str(q, &s->amount),
		              line->currency, gr_cents_str(t, s->cents),
		              gr_rounding_name(g->rounding));
	}
	if (c->eligible) {
		if (line->amount_big) {
			gr_dec_to_mpq(s->v, &s->amount);
			mpq_add(w->exact_big, w->exact_big, s->v);
		} else {
			w->direct_sum6 += at_six_decimals(line->amount, line->scale);
		}
	}
	return true;
}

/* The rate of line i, or SIZE_MAX when it has none (reported once per
 * member and currency, counted in `missing`); fallbacks and stale daily
 * rates are tallied for their findings. Sets w->oom when out of memory. */
static size_t line_rate(struct work *w, size_t i, struct tally *missing,
                        struct tally *fallbacks, struct tally *stale)
{
	struct gr_recon *r = w->r;
	const struct gr_line *line = &r->ledger->lines[i];
	const struct gr_member *m = &r->grant->members[line->member];
	long group;
	if (!cached_group(&w->groups, r->fx, m->fx, line->member,
	                  line->currency, &group)) {
		w->oom = true;
		return SIZE_MAX;
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
		size_t before = missing->count;
		if (!tally(missing, line, i))
			w->oom = true;
		else if (missing->count > before)
			report_missing_rate(w, line, res);
		return SIZE_MAX;
	}
	if (res == GR_FX_FALLBACK && !tally(fallbacks, line, i)) {
		w->oom = true;
		return SIZE_MAX;
	}
	long age = (long)(line->date - r->fx->rates[rate].date);
	if (m->fx == GR_FX_DAILY && age > GR_STALE_DAYS) {
		struct fallback *st = tally(stale, line, i);
		if (!st) {
			w->oom = true;
			return SIZE_MAX;
		}
		if (age > st->worst_gap) {
			st->worst_gap = age;
			st->worst_line = i;
		}
	}
	return rate;
}

/* A line in another currency, at its rate: 128 bits when it fits, GMP
 * when not. False when out of memory. */
static bool convert_at_rate(struct work *w, const struct gr_line *line,
                            struct gr_converted *c, size_t rate,
                            struct line_scratch *s)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_ledger *ledger = r->ledger;
	const struct gr_rate *rt = &r->fx->rates[rate];
	c->rate = (uint32_t)rate;
	r->rate_used[rate] = true;
	struct fast_rate *f = &w->fast[rate];
	if (!f->ready)
		recon_prepare_rate(f, rt->value);
	if (line->amount_big ||
	    !recon_convert_fast(f, line->amount, line->scale, g->rounding,
	                        &c->cents)) {
		gr_line_amount(ledger, line, &s->amount);
		recon_convert_exact(s->cents, &s->amount, rt->value, g->rounding);
		if (!store_cents(r, c, s->cents))
			return false;
	}
	if (c->eligible) {
		if (line->amount_big) {
			gr_line_amount(ledger, line, &s->amount);
			gr_dec_to_mpq(s->v, &s->amount);
			mpq_div(s->v, s->v, rt->value);
			mpq_add(w->exact_big, w->exact_big, s->v);
		} else {
			w->rate_sum6[rate] += at_six_decimals(line->amount,
			                                      line->scale);
		}
	}
	return true;
}

/* After the first error of a member and currency, how many more lines
 * have no rate. */
static void note_missing(struct work *w, const struct tally *missing)
{
	const struct gr_ledger *ledger = w->r->ledger;
	const struct gr_grant *g = w->r->grant;
	for (size_t k = 0; k < missing->count; k++) {
		const struct fallback *f = &missing->items[k];
		if (f->count > 1)
			gr_diag_add(w->diags, GR_SEV_NOTE,
			            gr_line_input(ledger,
			                          &ledger->lines[f->first_line])->path, 0,
			            "%zu more line%s of member '%s' in %s %s no rate "
			            "either", f->count - 1, f->count == 2 ? "" : "s",
			            g->members[f->member].id, f->currency,
			            f->count == 2 ? "has" : "have");
	}
}

bool recon_convert_lines(struct work *w, struct tally *fallbacks,
                         struct tally *stale)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_ledger *ledger = r->ledger;
	struct tally missing = {0};  /* lines without a rate */
	struct line_scratch s;
	gr_dec_init(&s.amount);
	mpz_init(s.cents);
	mpq_init(s.v);
	size_t errors_before = w->diags->errors;
	for (size_t i = 0; i < ledger->count && !w->oom; i++) {
		const struct gr_line *line = &ledger->lines[i];
		struct gr_converted *c = &r->converted[i];
		if (!line_scope(w, line, c))
			continue;
		if (memcmp(line->currency, g->currency, 4) == 0) {
			if (!convert_direct(w, line, c, &s))
				w->oom = true;
			continue;
		}
		size_t rate = line_rate(w, i, &missing, fallbacks, stale);
		if (rate != SIZE_MAX && !convert_at_rate(w, line, c, rate, &s))
			w->oom = true;
	}
	note_missing(w, &missing);
	free(missing.items);
	gr_dec_clear(&s.amount);
	mpz_clear(s.cents);
	mpq_clear(s.v);
	return !w->oom && w->diags->errors == errors_before;
}
