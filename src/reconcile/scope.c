/*
 * scope.c: the scope of a report: as of a date, or one quarter.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/progress.h"
#include "base/util.h"
#include "reconcile/recon_internal.h"

/* ---- scope: as of a date, or one quarter --------------------------------- */

static gr_date latest_input_date(const struct gr_recon *r)
{
	const struct gr_tables *t = r->tables;
	/* Ledger dates outside the grant period do not count: one line typed
	 * with a wrong year would otherwise make every tranche overdue. */
	const struct gr_grant *g = r->grant;
	gr_date latest = GR_NO_DATE;
	for (size_t i = 0; i < r->ledger->count; i++) {
		gr_date d = r->ledger->lines[i].date;
		if (d > latest && d >= g->start && d <= g->end)
			latest = d;
	}
	for (size_t i = 0; i < t->disbursement_count; i++)
		if (t->disbursements[i].date > latest)
			latest = t->disbursements[i].date;
	for (size_t i = 0; i < t->tranche_count; i++)
		if (t->tranches[i].received != GR_NO_DATE &&
		    t->tranches[i].received > latest)
			latest = t->tranches[i].received;
	return latest == GR_NO_DATE ? g->end : latest;
}

/* Drops the periods that start after the as-of date and ends the last one
 * there: the quarters shown stop at the date the books are taken. */
static void clip_periods(struct gr_period_result *list, size_t *count,
                         size_t members, gr_date as_of)
{
	size_t keep = 0;
	while (keep < *count && list[keep].from <= as_of)
		keep++;
	if (keep == 0 && *count > 0)
		keep = 1; /* an as-of date before the start: one empty period */
	for (size_t i = keep; i < *count; i++) {
		mpz_clear(list[i].actual);
		for (size_t m = 0; m < members; m++)
			mpz_clear(list[i].by_member[m]);
		free(list[i].by_member);
	}
	*count = keep;
	if (keep > 0 && list[keep - 1].to > as_of && list[keep - 1].from <= as_of)
		list[keep - 1].to = as_of;
}

bool recon_resolve_scope(struct work *w, const struct gr_recon_request *req)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	r->quarter = -1;
	if (req && req->quarter) {
		const char *q = req->quarter;
		for (size_t i = 0; i < r->quarter_count && r->quarter < 0; i++) {
			const char *label = r->quarters[i].label;
			if (strcmp(q, label) == 0 ||
			    (label[0] == 'Q' && strcmp(q, label + 1) == 0))
				r->quarter = (long)i;
		}
		if (r->quarter < 0) {
			gr_error(w->diags, NULL, 0,
			         "no quarter '%s' in this grant: its quarters are %s to "
			         "%s (%s)", q, r->quarters[0].label,
			         r->quarters[r->quarter_count - 1].label,
			         g->quarters == GR_QUARTERS_GRANT
			         ? "--quarter 1, 2, ..." : "--quarter YYYY-QN");
			return false;
		}
		r->as_of = r->quarters[r->quarter].to;
		r->as_of_given = true;
	} else if (req && req->as_of != GR_NO_DATE) {
		r->as_of = req->as_of;
		r->as_of_given = true;
	} else {
		r->as_of = latest_input_date(r);
	}
	if (r->as_of_given) {
		size_t members = g->member_count;
		clip_periods(r->quarters, &r->quarter_count, members, r->as_of);
		clip_periods(r->months, &r->month_count, members, r->as_of);
	}
	return true;
}
