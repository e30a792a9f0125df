/*
 * changes.h: what changed since the last report (--previous).
 *
 * Two reconciliations, the earlier one made from archived inputs, are
 * compared line by line and figure by figure. Lines are matched by member
 * id and voucher; a voucher with several lines is matched in file order
 * (its first line with the other's first line, and so on).
 *   late booking: a line in the new books, dated within the period the
 *                 previous report covered (up to the end of the quarter
 *                 of its as-of date), that the previous books lacked;
 *   removed:      a line of the previous books that is gone (a reversal
 *                 done by deleting, a line moved to another voucher);
 *   changed:      a matched line whose amount, currency, date, budget line
 *                 or rate differs.
 * For every quarter and member of the previous report, the figure as
 * reported then and as restated now.
 */
#ifndef GRANTREC_CHANGES_H
#define GRANTREC_CHANGES_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "grantrec/reconcile.h"

enum gr_change_kind {
	GR_CHANGE_LATE,
	GR_CHANGE_REMOVED,
	GR_CHANGE_CHANGED,
};

const char *gr_change_kind_name(enum gr_change_kind kind);

/* Bits of gr_line_change.fields */
enum gr_change_field {
	GR_CHANGED_AMOUNT = 1 << 0,
	GR_CHANGED_CURRENCY = 1 << 1,
	GR_CHANGED_DATE = 1 << 2,
	GR_CHANGED_BUDGET_LINE = 1 << 3,
	GR_CHANGED_RATE = 1 << 4,
	GR_CHANGED_GRANT_AMOUNT = 1 << 5,
};

#define GR_NO_LINE ((size_t)-1)

struct gr_line_change {
	enum gr_change_kind kind;
	size_t before;      /* index in the previous ledger, or GR_NO_LINE */
	size_t now;         /* index in the current ledger, or GR_NO_LINE */
	unsigned fields;    /* GR_CHANGED_* for kind == GR_CHANGE_CHANGED */
};

struct gr_restated {
	const char *quarter;  /* label */
	gr_date from, to;
	const char *member;   /* id */
	mpz_t before, now, difference;
};

struct gr_changes {
	const struct gr_recon *before;
	const struct gr_recon *now;
	gr_date reported_to;       /* end of the quarter of the previous as-of */
	struct gr_line_change *lines;
	size_t line_count, line_cap;
	size_t late, removed, changed;
	size_t new_after;          /* lines dated after the previous as-of */
	struct gr_restated *restated;
	size_t restated_count;
};

/* Compares; both reconciliations must outlive the result. */
enum gr_status gr_changes_compute(struct gr_changes *changes,
                                  const struct gr_recon *before,
                                  const struct gr_recon *now,
                                  struct gr_diags *diags);
void gr_changes_release(struct gr_changes *changes);

#endif
