/*
 * fx_bridge.c: the exchange-rate bridge: actual at the planning rates, and
 * the spending and rate effects between budget and actual.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/progress.h"
#include "base/util.h"
#include "reconcile/recon_internal.h"

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

/* The planning rates by currency code, each prepared for 128 bits. */
struct planning {
	uint32_t *planned;         /* [CURRENCY_CODES] */
	struct fast_rate *fast;    /* [budget_rate_count + 1] */
	const char *reported[64];  /* currencies without one, reported */
	size_t nreported;
};

static bool planning_init(struct planning *p, const struct gr_fx *fx)
{
	*p = (struct planning){0};
	p->planned = gr_calloc(CURRENCY_CODES, sizeof(*p->planned));
	p->fast = gr_calloc(fx->budget_rate_count + 1, sizeof(*p->fast));
	if (!p->planned || !p->fast)
		return false;
	for (size_t k = 0; k < fx->budget_rate_count; k++) {
		size_t idx;
		const struct gr_budget_rate *br =
			gr_fx_budget_rate(fx, fx->budget_rates[k].currency);
		/* The first row of a currency is its rate, as gr_fx_budget_rate
		 * says. */
		if (br == &fx->budget_rates[k] &&
		    currency_index(br->currency, &idx)) {
			p->planned[idx] = (uint32_t)k + 1;
			recon_prepare_rate(&p->fast[k], br->value);
		}
	}
	return true;
}

/* One finding per currency that has no planning rate (the first 64). */
static void no_planning_rate(struct work *w, struct planning *p,
                             const struct gr_line *line)
{
	const struct gr_recon *r = w->r;
	const struct gr_fx *fx = r->fx;
	bool reported = false;
	for (size_t k = 0; k < p->nreported && !reported; k++)
		reported = strcmp(p->reported[k], line->currency) == 0;
	if (reported || p->nreported >= 64)
		return;
	p->reported[p->nreported++] = line->currency;
	recon_finding(w, GR_SEV_WARNING, "no-budget-rate",
	              gr_line_input(r->ledger, line)->path, line->line,
	              "no planning rate for %s in %s: its spending is "
	              "all counted as spending effect", line->currency,
	              fx->budget_rates_path ? fx->budget_rates_path
	                                    : r->grant->budget_rates.name);
}

/* Each member's actual at the planning rates. */
static void at_planning_rates(struct work *w, struct planning *p)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_ledger *ledger = r->ledger;
	const struct gr_fx *fx = r->fx;
	mpz_t at;
	mpz_init(at);
	struct gr_dec amount;
	gr_dec_init(&amount);
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
				? (p->planned[idx] ? &fx->budget_rates[p->planned[idx] - 1]
				                   : NULL)
				: gr_fx_budget_rate(fx, line->currency);
		if (c->rate == GR_NO_RATE || !br) {
			/* Not converted, or no planning rate: no rate effect. */
			gr_add_converted(fe->at_budget_rates, r, i);
			if (c->rate != GR_NO_RATE)
				no_planning_rate(w, p, line);
			continue;
		}
		const struct fast_rate *f = &p->fast[br - fx->budget_rates];
		int64_t cents;
		if (!line->amount_big && f->ready &&
		    recon_convert_fast(f, line->amount, line->scale, g->rounding,
		                       &cents)) {
			if (cents >= 0)
				mpz_add_ui(fe->at_budget_rates, fe->at_budget_rates,
				           (unsigned long)cents);
			else
				mpz_sub_ui(fe->at_budget_rates, fe->at_budget_rates,
				           -(unsigned long)cents);
			continue;
		}
		gr_line_amount(ledger, line, &amount);
		recon_convert_exact(at, &amount, br->value, g->rounding);
		mpz_add(fe->at_budget_rates, fe->at_budget_rates, at);
	}
	mpz_clear(at);
	gr_dec_clear(&amount);
}

/* Rate effect = actual - at the planning rates; spending effect = the
 * rest of the variance; per member and in total. */
static void split_effects(struct gr_recon *r)
{
	struct gr_fx_effect *tot = &r->totals.fx_effect;
	for (size_t m = 0; m < r->grant->member_count; m++) {
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
}

void recon_build_fx_effect(struct work *w)
{
	struct gr_recon *r = w->r;
	r->has_fx_effect = r->fx->budget_rate_count > 0 ||
	                   r->grant->budget_rates.name;
	if (!r->has_fx_effect)
		return;
	struct planning p;
	if (planning_init(&p, r->fx)) {
		at_planning_rates(w, &p);
		split_effects(r);
	} else {
		w->oom = true;
	}
	free(p.planned);
	free(p.fast);
}
