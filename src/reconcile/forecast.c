/*
 * forecast.c: burn rate and forecast to the end date.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/progress.h"
#include "base/util.h"
#include "reconcile/recon_internal.h"

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
	recon_assess_variance(g, budget, num, &f->has_projected_pct, f->projected_pct,
	                      &over);
	f->off_budget = over && mpz_sgn(budget) != 0;
	mpz_clears(e, p, num, NULL);
}

void recon_build_forecasts(struct work *w)
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
			recon_finding(w, GR_SEV_WARNING, "forecast-off-budget", NULL, 0,
			              "member '%s' is projected to end at %s %s against a "
			              "budget of %s (%s%%), at the rate of the three months "
			              "to %s", g->members[m].id, g->currency,
			              recon_money(a, mr->forecast.projected), recon_money(b, mr->budget),
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
