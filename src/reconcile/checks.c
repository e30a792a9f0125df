/*
 * checks.c: the cross-checks: figures worked out two ways that must agree.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/progress.h"
#include "base/util.h"
#include "reconcile/recon_internal.h"

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

void recon_build_checks(struct work *w, const mpz_t ledger_total)
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
		recon_finding(w, GR_SEV_ERROR, "check-failed", NULL, 0,
		              "cross-check %s does not hold: %s against %s",
		              r->checks[i].name, recon_money(a, r->checks[i].left),
		              recon_money(b, r->checks[i].right));
	}
}
