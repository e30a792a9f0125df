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
#include <stdint.h>

#include "grantrec/date.h"
#include "grantrec/diag.h"
#include "grantrec/fx.h"
#include "grantrec/grant.h"
#include "grantrec/ledger.h"
#include "grantrec/tables.h"

#define GR_NO_RATE UINT32_MAX

/* What happened to one ledger line (parallel to gr_ledger.lines), in 16
 * bytes: the converted amount is in 64 bits when it fits, else in
 * gr_recon.big_cents. Read it with gr_converted_cents(). */
struct gr_converted {
	int64_t cents;        /* in the grant currency, rounded; when cents_big,
	                         an index in gr_recon.big_cents */
	uint32_t rate;        /* index in gr_fx.rates, GR_NO_RATE when not converted */
	bool eligible;        /* dated inside the grant period (and in scope) */
	bool in_scope;        /* dated on or before the as-of date; a line
	                         after it is left out entirely, not converted */
	bool in_quarter;      /* inside the requested quarter (--quarter) */
	bool cents_big;
};

/* What to reconcile: everything in the files, or the books as they stood
 * on a date, or one quarter side by side with the cumulative figures. */
struct gr_recon_request {
	gr_date as_of;        /* GR_NO_DATE: the latest date in the inputs */
	const char *quarter;  /* NULL, or "2" (grant quarters) / "2021-Q3" */
};

/* Share of budget spent against share of period elapsed, the burn rate of
 * the last three months and where it leads by the end date. */
struct gr_forecast {
	bool has_spent_pct;
	char spent_pct[32];       /* actual / budget, percent, 2 decimals */
	char elapsed_pct[32];     /* days elapsed / days in the period */
	gr_date window_from;      /* the three months to the as-of date (at
	                             the latest the end date), inclusive, */
	gr_date window_to;        /* cut at the start date */
	gr_date window_full_from; /* where they would begin uncut */
	mpz_t window_actual;
	mpz_t burn_monthly;       /* per month of the window, half-up */
	mpz_t projected;          /* actual + window rate x days remaining */
	bool has_projected_pct;
	char projected_pct[32];   /* (projected - budget) / budget */
	bool off_budget;          /* |projected - budget| above the threshold */
};

/* actual - budget split: rate effect = spending at actual rates minus the
 * same spending at the planning rates; spending effect = the rest. */
struct gr_fx_effect {
	mpz_t at_budget_rates;    /* actual, with every converted line at its
	                             currency's planning rate */
	mpz_t rate_effect;
	mpz_t spending_effect;
};

/* How the outstanding tranches would be shared out among the members that
 * pre-financed, never past the grant ceiling. */
struct gr_cover {
	mpz_t prefinanced;        /* max(0, -position) */
	mpz_t covered;            /* its share of what the donor still pays */
	mpz_t own_contribution;   /* prefinanced - covered */
};

struct gr_declared_result {
	size_t member;
	size_t quarter;           /* index in gr_recon.quarters */
	const struct gr_declared *declared;
	mpz_t ledger;             /* what the ledger gives for that quarter */
	mpz_t difference;         /* declared - ledger */
};

struct gr_member_result {
	mpz_t budget, actual, variance, disbursed, position;
	mpz_t original_budget;     /* [grant] budget, before any revision */
	bool has_variance_pct;     /* false when the budget is zero */
	char variance_pct[32];
	size_t lines;
	mpz_t quarter_actual;      /* --quarter only */
	mpz_t quarter_disbursed;
	struct gr_forecast forecast;
	struct gr_fx_effect fx_effect;
	struct gr_cover cover;
};

struct gr_line_result {      /* member x budget line */
	size_t member;
	uint32_t budget_line;        /* id in gr_ledger.budget_lines */
	const char *name;            /* owned by the result */
	mpz_t budget, actual, variance;
	mpz_t original_budget;       /* [grant] budget, before any revision */
	bool budgeted;               /* has a row in the budget in force */
	bool has_pct;                /* false when the budget is zero */
	char variance_pct[32];       /* "12.34": half-up, two decimals */
	bool over_threshold;
	const char *comment;         /* NULL when none */
	mpz_t quarter_actual;        /* --quarter only */
	long budget_row_line;        /* line in the budget in force, 0 when
	                                unbudgeted */
	size_t seq;                  /* order of appearance, for a stable sort */
};

struct gr_country_result {
	const char *name;            /* "" for lines with no country */
	mpz_t actual;
	mpz_t quarter_actual;        /* --quarter only */
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
	mpz_t original_budget;
	mpz_t received, outstanding, disbursed;
	mpz_t over_ceiling, outside_period;
	mpq_t rounding_difference;   /* actual - exact unrounded sum */
	mpq_t exact_actual;
	bool has_variance_pct;
	char variance_pct[32];
	mpz_t quarter_actual, quarter_received, quarter_disbursed;
	mpz_t lead_cash;             /* received - disbursed - the lead's actual */
	mpz_t claimable;             /* what the outstanding tranches still cover */
	mpz_t room;                  /* min(ceiling, actual) - received, >= 0 */
	struct gr_forecast forecast;
	struct gr_fx_effect fx_effect;
	struct gr_cover cover;
};

/* The original budget or a revision, and whether it is the one in force. */
struct gr_budget_total {
	unsigned number;             /* 1: the original */
	gr_date approved;            /* GR_NO_DATE for the original */
	const char *path;
	mpz_t total;                 /* rows of members known to grant.ini */
	bool in_force;
};

struct gr_recon {
	const struct gr_grant *grant;
	const struct gr_tables *tables;
	const struct gr_fx *fx;
	const struct gr_ledger *ledger;
	gr_date as_of;               /* requested, or the latest date in the inputs */
	bool as_of_given;
	long quarter;                /* index of the requested quarter, -1 if none */
	bool has_fx_effect;          /* budget_rates given */
	struct gr_budget_view budget;        /* in force at as_of */
	struct gr_budget_total *budgets;     /* the original, then each revision */
	size_t budget_count;
	struct gr_converted *converted;      /* [ledger->count] */
	mpz_t *big_cents;                    /* converted amounts beyond 64 bits */
	size_t big_cents_count, big_cents_cap;
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
	struct gr_declared_result *declared;
	size_t declared_count;
	size_t lines_after_as_of;            /* left out: dated after as_of */
	struct gr_check checks[6];
	size_t check_count;
	size_t warnings;                     /* findings of severity warning */
	bool members_ready;                  /* internal: members[] initialised */
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

/* The same with a request (--as-of, --quarter). A quarter that does not
 * exist is an input error. */
enum gr_status gr_reconcile_request(struct gr_recon *recon,
                                    const struct gr_grant *grant,
                                    const struct gr_tables *tables,
                                    const struct gr_fx *fx,
                                    const struct gr_ledger *ledger,
                                    const struct gr_recon_request *request,
                                    struct gr_diags *diags);

void gr_recon_release(struct gr_recon *recon);

/* Line i's converted amount, in cents of the grant currency. */
void gr_converted_cents(const struct gr_recon *recon, size_t i, mpz_t out);

/* acc += line i's converted amount. */
void gr_add_converted(mpz_t acc, const struct gr_recon *recon, size_t i);

#endif
