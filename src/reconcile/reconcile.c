/*
 * reconcile.c: gr_reconcile: the steps in order, from the converted lines
 * to the findings, and the release of the results.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/progress.h"
#include "base/util.h"
#include "reconcile/recon_internal.h"

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
	if (!recon_build_periods(&w))
		goto oom;
	if (!recon_resolve_scope(&w, request)) {
		st = GR_E_INPUT;
		goto done;
	}

	if (!recon_convert_lines(&w, &fallbacks, &stale)) {
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

	if (!recon_build_countries(&w))
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
			recon_finding(&w, GR_SEV_WARNING, "outside-period", gr_line_input(ledger, line)->path,
			              line->line,
			              "dated %s, outside the grant period %s to %s: %s %s not "
			              "counted in actual", gr_date_iso(day, line->date),
			              gr_date_iso(from, g->start), gr_date_iso(to, g->end),
			              g->currency, recon_money(a, w.scratch));
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

	if (!recon_find_duplicates(&w))
		goto oom;
	for (size_t k = 0; k < fallbacks.count; k++) {
		const struct fallback *fb = &fallbacks.items[k];
		const struct gr_line *line = &ledger->lines[fb->first_line];
		const struct gr_rate *rt = &fx->rates[r->converted[fb->first_line].rate];
		recon_finding(&w, GR_SEV_WARNING, "fx-fallback", gr_line_input(ledger, line)->path,
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
		recon_finding(&w, GR_SEV_WARNING, "fx-stale-rate", gr_line_input(ledger, line)->path,
		              line->line,
		              "%zu line%s of member '%s' in %s took a daily rate more than "
		              "%d days older than the line; the oldest: %s for %s (%ld "
		              "days, %s line %ld). Is the rate table complete?", old->count,
		              old->count == 1 ? "" : "s", g->members[old->member].id,
		              old->currency, GR_STALE_DAYS, gr_date_iso(a, rt->date),
		              gr_date_iso(day, line->date), old->worst_gap, rt->path,
		              rt->line);
	}
	if (!recon_build_budget_lines(&w))
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
			recon_finding(&w, GR_SEV_NOTE, "under-budget-to-date", t->budget_path,
			              lr->budget_row_line,
			              "budget line '%s' of member '%s' has used %s of %s "
			              "(%s%%) as of %s", lr->name, g->members[lr->member].id,
			              recon_money(b, lr->actual), recon_money(c, lr->budget),
			              lr->variance_pct, gr_date_iso(day, r->as_of));
			continue;
		}
		if (!lr->has_pct)
			recon_finding(&w, GR_SEV_WARNING, "missing-comment", t->budget_path,
			              lr->budget_row_line,
			              "budget line '%s' of member '%s' has a budget of 0.00 "
			              "but an actual of %s, and no comment in comments.csv",
			              lr->name, g->members[lr->member].id,
			              recon_money(b, lr->actual));
		else
			recon_finding(&w, GR_SEV_WARNING, "missing-comment", t->budget_path,
			              lr->budget_row_line,
			              "budget line '%s' of member '%s' is %s%s%% off budget "
			              "(actual %s, budget %s), above the %s%% threshold, and "
			              "has no comment in comments.csv", lr->name,
			              g->members[lr->member].id,
			              lr->variance_pct[0] != '-' ? "+" : "", lr->variance_pct,
			              recon_money(b, lr->actual), recon_money(c, lr->budget),
			              gr_dec_str(a, &g->threshold));
	}
	recon_build_funds(&w);
	recon_grant_findings(&w);
	recon_build_forecasts(&w);
	recon_build_fx_effect(&w);
	recon_build_cover(&w);
	recon_build_declared(&w);
	recon_build_checks(&w, ledger_total);
	if (w.oom)
		goto oom;
	goto done;
oom:
	gr_error(diags, NULL, 0, "out of memory");
	st = GR_E_SYSTEM;
done:
	free(w.rate_sum6);
	free(w.fast);
	recon_group_cache_release(&w.groups);
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
