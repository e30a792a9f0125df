/*
 * aggregate.c: the periods (quarters, months) and the countries that
 * actual is summed by.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/progress.h"
#include "base/util.h"
#include "reconcile/recon_internal.h"

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

bool recon_build_periods(struct work *w)
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

size_t recon_period_of(const struct gr_period_result *list, size_t count,
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

bool recon_build_countries(struct work *w)
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

/* ---- the totals ------------------------------------------------------------ */

static void sum_rows(mpz_t total, const struct gr_budget_view *v)
{
	for (size_t i = 0; i < v->count; i++)
		if (v->rows[i].member != GR_NO_MEMBER)
			mpz_add(total, total, v->rows[i].amount);
}

/* The budget in force at the as-of date, and the total of every version
 * (the original and each revision) for the record. */
bool recon_choose_budget(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_tables *t = r->tables;
	r->budget = gr_budget_in_force(t, r->as_of);
	size_t n = 1 + t->revision_count;
	r->budgets = gr_calloc(n, sizeof(*r->budgets));
	if (!r->budgets)
		return false;
	r->budget_count = n;
	for (size_t i = 0; i < n; i++) {
		struct gr_budget_view v = gr_budget_original(t);
		if (i > 0) {
			const struct gr_budget_set *set = &t->revisions[i - 1];
			v = (struct gr_budget_view){
				.number = set->number, .approved = set->approved,
				.path = set->path, .rows = set->rows, .count = set->count,
			};
		}
		struct gr_budget_total *bt = &r->budgets[i];
		bt->number = v.number;
		bt->approved = v.approved;
		bt->path = v.path;
		bt->in_force = v.number == r->budget.number;
		mpz_init(bt->total);
		sum_rows(bt->total, &v);
	}
	return true;
}

/* Budget per member and in total (rows of unknown members excluded), in
 * force and original. */
void recon_sum_budgets(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_budget_view original = gr_budget_original(r->tables);
	for (size_t i = 0; i < r->budget.count; i++) {
		const struct gr_budget_row *b = &r->budget.rows[i];
		if (b->member == GR_NO_MEMBER)
			continue;
		mpz_add(r->members[b->member].budget, r->members[b->member].budget,
		        b->amount);
		mpz_add(r->totals.budget, r->totals.budget, b->amount);
	}
	for (size_t i = 0; i < original.count; i++) {
		const struct gr_budget_row *b = &original.rows[i];
		if (b->member == GR_NO_MEMBER)
			continue;
		mpz_add(r->members[b->member].original_budget,
		        r->members[b->member].original_budget, b->amount);
		mpz_add(r->totals.original_budget, r->totals.original_budget,
		        b->amount);
	}
}

/* Actual per member, quarter and month, and the quarter asked for; lines
 * outside the grant period are listed (a finding each), not counted. */
void recon_sum_actuals(struct work *w, mpz_t ledger_total)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_ledger *ledger = r->ledger;
	char a[GR_MONEY_BUF], day[11], from[11], to[11];
	for (size_t i = 0; i < ledger->count; i++) {
		const struct gr_line *line = &ledger->lines[i];
		const struct gr_converted *c = &r->converted[i];
		if (!c->in_scope)
			continue;
		if (!c->eligible) {
			gr_add_converted(r->totals.outside_period, r, i);
			gr_converted_cents(r, i, w->scratch);
			recon_finding(w, GR_SEV_WARNING, "outside-period", gr_line_input(ledger, line)->path,
			              line->line,
			              "dated %s, outside the grant period %s to %s: %s %s not "
			              "counted in actual", gr_date_iso(day, line->date),
			              gr_date_iso(from, g->start), gr_date_iso(to, g->end),
			              g->currency, recon_money(a, w->scratch));
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
		size_t q = recon_period_of(r->quarters, r->quarter_count, line->date);
		gr_add_converted(r->quarters[q].actual, r, i);
		gr_add_converted(r->quarters[q].by_member[line->member], r, i);
		size_t mo = recon_period_of(r->months, r->month_count, line->date);
		gr_add_converted(r->months[mo].actual, r, i);
		gr_add_converted(r->months[mo].by_member[line->member], r, i);
	}
}

/* Variance per member and in total, and what passes the ceiling. */
void recon_sum_variances(struct work *w, const mpz_t ledger_total)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	mpz_set(r->totals.actual, ledger_total);
	bool over;
	for (size_t m = 0; m < g->member_count; m++) {
		struct gr_member_result *mr = &r->members[m];
		mpz_sub(mr->variance, mr->actual, mr->budget);
		recon_assess_variance(g, mr->budget, mr->variance, &mr->has_variance_pct,
		                      mr->variance_pct, &over);
	}
	mpz_sub(r->totals.variance, r->totals.actual, r->totals.budget);
	recon_assess_variance(g, r->totals.budget, r->totals.variance,
	                      &r->totals.has_variance_pct, r->totals.variance_pct, &over);
	mpz_sub(r->totals.over_ceiling, r->totals.actual, g->amount);
	if (mpz_sgn(r->totals.over_ceiling) < 0)
		mpz_set_ui(r->totals.over_ceiling, 0);
}

/* The exact unrounded total, and the rounding difference against it. */
void recon_exact_total(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_fx *fx = r->fx;
	/* The exact unrounded total: per rate, sum(local) / rate. */
	mpq_t v;
	mpq_init(v);
	mpq_set(r->totals.exact_actual, w->exact_big);
	gr_mpz_set_i128(mpq_numref(v), w->direct_sum6);
	mpz_set_ui(mpq_denref(v), 1000000);
	mpq_canonicalize(v);
	mpq_add(r->totals.exact_actual, r->totals.exact_actual, v);
	for (size_t i = 0; i < fx->rate_count; i++) {
		if (w->rate_sum6[i] == 0)
			continue;
		/* sum6 / 10^6 / (num / den) = sum6 x den / (10^6 x num) */
		gr_mpz_set_i128(mpq_numref(v), w->rate_sum6[i]);
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
}
