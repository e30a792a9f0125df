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

void recon_build_fx_effect(struct work *w)
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
			recon_prepare_rate(&fast[k], br->value);
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
					recon_finding(w, GR_SEV_WARNING, "no-budget-rate",
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
		    recon_convert_fast(f, line->amount, line->scale, g->rounding, &cents)) {
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
