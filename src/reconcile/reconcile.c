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
	mpz_inits(tot->budget, tot->original_budget, tot->actual, tot->variance,
	          tot->received, tot->outstanding, tot->disbursed, tot->over_ceiling,
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
		mpz_inits(mr->budget, mr->original_budget, mr->actual, mr->variance,
		          mr->disbursed,
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

	if (!recon_choose_budget(&w))
		goto oom;
	recon_sum_budgets(&w);

	if (!recon_build_countries(&w))
		goto oom;
	recon_sum_actuals(&w, ledger_total);
	recon_sum_variances(&w, ledger_total);
	recon_exact_total(&w);

	if (!recon_find_duplicates(&w))
		goto oom;
	recon_fx_findings(&w, &fallbacks, &stale);
	if (!recon_build_budget_lines(&w))
		goto oom;
	recon_budget_line_findings(&w);
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
	mpz_clears(tot->budget, tot->original_budget, tot->actual, tot->variance,
	           tot->received, tot->outstanding, tot->disbursed, tot->over_ceiling,
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
			mpz_clears(mr->budget, mr->original_budget, mr->actual,
			           mr->variance, mr->disbursed,
			           mr->position, mr->quarter_actual, mr->quarter_disbursed,
			           NULL);
			forecast_clear(&mr->forecast);
			effect_clear(&mr->fx_effect);
			cover_clear(&mr->cover);
		}
	}
	free(r->members);
	for (size_t i = 0; i < r->line_count; i++) {
		mpz_clears(r->lines[i].budget, r->lines[i].original_budget,
		           r->lines[i].actual,
		           r->lines[i].variance, r->lines[i].quarter_actual, NULL);
		free((char *)r->lines[i].name);
	}
	free(r->lines);
	for (size_t i = 0; i < r->budget_count; i++)
		mpz_clear(r->budgets[i].total);
	free(r->budgets);
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
