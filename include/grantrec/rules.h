/*
 * rules.h: the donor's rules of the grant agreement ([rules] in grant.ini)
 * checked against the reconciled figures.
 *
 * gr_rules_check() runs after gr_reconcile(). It reads the grant and the
 * reconciliation and builds a struct gr_rule_results of its own; it does
 * no I/O and changes nothing in the reconciliation. A rule that grant.ini
 * does not give is not checked and has no results.
 *
 * Each limit is an amount in cents, rounded once by the grant's rule from
 * the exact product of a percentage and a figure; a rule is breached when
 * the figure passes that amount by a cent or more:
 *
 *   max_shift     per budget line, for the whole consortium (the budgets
 *                 and actuals of every member on lines of that name):
 *                 allowed = budget x max_shift / 100; breach when
 *                 actual - budget > allowed. A line with no budget and
 *                 spending is always a breach.
 *   indirect_cap  per member and for the whole grant: direct = actual on
 *                 every line not in indirect_lines; allowed = direct x
 *                 indirect_cap / 100; excess = indirect - allowed, breach
 *                 when positive. The total's allowed is figured from the
 *                 total direct costs, not summed from the members'.
 *   own_contribution
 *                 the members' own funds (totals.cover.own_contribution:
 *                 pre-financing the donor will not refund, which includes
 *                 spending above the ceiling) against the share of total
 *                 costs (totals.actual) or the amount the agreement asks;
 *                 breach when they fall short.
 */
#ifndef GRANTREC_RULES_H
#define GRANTREC_RULES_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "grantrec/diag.h"
#include "grantrec/grant.h"
#include "grantrec/reconcile.h"

/* One budget line under max_shift, all members together. */
struct gr_rule_shift {
	const char *name;            /* borrowed from the reconciliation */
	mpz_t budget, actual;
	mpz_t over;                  /* actual - budget; negative when under */
	mpz_t allowed;               /* budget x max_shift / 100, rounded */
	bool has_over_pct;           /* false when the budget is zero */
	/* over / budget in percent, 2 decimals, half-up: the hundredths of a
	 * percent written like cents (never longer than a money text). */
	char over_pct[GR_MONEY_BUF];
	bool breach;
};

/* Direct and indirect costs of a member or of the whole grant. */
struct gr_rule_indirect {
	mpz_t direct, indirect;
	mpz_t allowed;               /* direct x indirect_cap / 100, rounded */
	mpz_t excess;                /* indirect - allowed when positive, else 0 */
	bool breach;
};

struct gr_rule_own {
	mpz_t total_costs;           /* totals.actual */
	mpz_t own_funds;             /* totals.cover.own_contribution */
	mpz_t required;              /* share x total costs, rounded; or the amount */
	mpz_t shortfall;             /* required - own_funds when positive, else 0 */
	bool breach;
};

struct gr_rule_results {
	const struct gr_grant *grant;
	const struct gr_recon *recon;
	bool max_shift;              /* the rule is given */
	struct gr_rule_shift *lines;
	size_t line_count;
	size_t shift_breaches;
	bool indirect_cap;
	struct gr_rule_indirect *members;    /* [grant->member_count] */
	struct gr_rule_indirect total;
	size_t indirect_breaches;            /* members and total */
	bool own_contribution;
	struct gr_rule_own own;
	/* Findings of the rules, in the order max_shift (budget lines in
	 * order), indirect_cap (members in grant.ini order, then the total),
	 * own_contribution. All are warnings. */
	struct gr_finding *findings;
	size_t finding_count, finding_cap;
	size_t warnings;
	bool ready;                  /* internal: the mpz fields are initialised */
};

/*
 * Checks the grant's rules against `recon`. An indirect_lines name that is
 * no budget line of the grant, or indirect_cap without indirect_lines, is
 * an input error at its grant.ini line (GR_E_INPUT). GR_E_SYSTEM when out
 * of memory. Release `out` with gr_rule_results_release() in every case.
 */
enum gr_status gr_rules_check(struct gr_rule_results *out,
                              const struct gr_grant *grant,
                              const struct gr_recon *recon,
                              struct gr_diags *diags);

void gr_rule_results_release(struct gr_rule_results *results);

/* True when grant.ini gives at least one rule. */
bool gr_rules_any(const struct gr_rule_results *results);

#endif
