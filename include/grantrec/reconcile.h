/*
 * reconcile.h: converted lines -> aggregates, funds and findings.
 *
 * gr_reconcile() is pure: it reads the loaded grant, tables, rates and
 * ledger, and builds a struct gr_recon. It does no I/O and prints nothing.
 * Every ledger line is converted once to the grant currency and rounded to
 * the cent by the grant's rule; every total is the exact sum of rounded
 * lines; the difference to the exact unrounded total is kept, not hidden.
 *
 * Order is stable everywhere: members as in grant.ini; budget lines as in
 * budget.csv, then unbudgeted ones in order of first appearance; countries
 * by name (the empty country, head-office costs, last); quarters and months
 * by date; findings grouped by check, each group in input order.
 */
#ifndef GRANTREC_RECONCILE_H
#define GRANTREC_RECONCILE_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "grantrec/date.h"
#include "grantrec/diag.h"
#include "grantrec/fx.h"
#include "grantrec/grant.h"
#include "grantrec/ledger.h"
#include "grantrec/tables.h"

#define GR_NO_RATE ((size_t)-1)

/* What happened to one ledger line (parallel to gr_ledger.lines). */
struct gr_converted {
	mpz_t cents;          /* in the grant currency, rounded */
	size_t rate;          /* index in gr_fx.rates, GR_NO_RATE when not converted */
	bool eligible;        /* dated inside the grant period */
};

struct gr_member_result {
	mpz_t budget, actual, variance, disbursed, position;
	size_t lines;
};

struct gr_line_result {      /* member x budget line */
	size_t member;
	uint32_t budget_line;        /* id in gr_ledger.budget_lines */
	const char *name;            /* owned by the result */
	mpz_t budget, actual, variance;
	bool budgeted;               /* has a row in budget.csv */
	bool has_pct;                /* false when the budget is zero */
	char variance_pct[32];       /* "12.34": half-up, two decimals */
	bool over_threshold;
	const char *comment;         /* NULL when none */
	long budget_row_line;        /* line in budget.csv, 0 when unbudgeted */
	size_t seq;                  /* order of appearance, for a stable sort */
};

struct gr_country_result {
	const char *name;            /* "" for lines with no country */
	mpz_t actual;
	mpz_t *by_member;            /* [member_count] */
};

struct gr_period_result {        /* a quarter or a month */
	char label[32];              /* "Q1" or "2021-Q2" or "2021-05" */
	gr_date from, to;
	mpz_t actual;
	mpz_t *by_member;            /* [member_count] */
};

enum gr_tranche_status {
	GR_TRANCHE_RECEIVED,
	GR_TRANCHE_OUTSTANDING,
	GR_TRANCHE_OVERDUE,
};

const char *gr_tranche_status_name(enum gr_tranche_status status);

struct gr_tranche_result {
	enum gr_tranche_status status;
	long days_overdue;
};

struct gr_finding {
	enum gr_severity severity;   /* warning: needs attention; note: for the record */
	const char *code;            /* stable, e.g. "duplicate-booking" */
	const char *file;            /* NULL when about the grant as a whole */
	long line;
	char *message;
};

struct gr_check {
	const char *name;            /* e.g. "members = ledger" */
	mpz_t left, right;
	bool ok;
};

struct gr_totals {
	mpz_t budget, actual, variance;
	mpz_t received, outstanding, disbursed;
	mpz_t over_ceiling, outside_period;
	mpq_t rounding_difference;   /* actual - exact unrounded sum */
	mpq_t exact_actual;
	bool has_variance_pct;
	char variance_pct[32];
};

struct gr_recon {
	const struct gr_grant *grant;
	const struct gr_tables *tables;
	const struct gr_fx *fx;
	const struct gr_ledger *ledger;
	gr_date as_of;               /* latest date in the inputs, see docs */
	struct gr_converted *converted;      /* [ledger->count] */
	bool *rate_used;                     /* [fx->rate_count] */
	struct gr_totals totals;
	struct gr_member_result *members;    /* [grant->member_count] */
	struct gr_line_result *lines;
	size_t line_count;
	struct gr_country_result *countries;
	size_t country_count;
	struct gr_period_result *quarters;
	size_t quarter_count;
	struct gr_period_result *months;
	size_t month_count;
	struct gr_tranche_result *tranches;  /* [tables->tranche_count] */
	struct gr_finding *findings;
	size_t finding_count, finding_cap;
	struct gr_check checks[5];
	size_t check_count;
	size_t warnings;                     /* findings of severity warning */
};

/*
 * Converts and aggregates. A line whose currency has no rate for its date
 * stops the run: GR_E_INPUT with "path:line: ..." in `diags`. On GR_OK the
 * result is complete; release it with gr_recon_release() in every case.
 */
enum gr_status gr_reconcile(struct gr_recon *recon,
                            const struct gr_grant *grant,
                            const struct gr_tables *tables,
                            const struct gr_fx *fx,
                            const struct gr_ledger *ledger,
                            struct gr_diags *diags);

void gr_recon_release(struct gr_recon *recon);

#endif
