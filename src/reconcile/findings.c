/*
 * findings.c: adding a finding, and the findings about the grant as a
 * whole.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/progress.h"
#include "base/util.h"
#include "reconcile/recon_internal.h"

void recon_finding(struct work *w, enum gr_severity sev, const char *code,
                   const char *file, long line, const char *fmt, ...)
{
	struct gr_recon *r = w->r;
	if (!gr_grow((void **)&r->findings, &r->finding_cap, r->finding_count + 1,
	             sizeof(*r->findings))) {
		w->oom = true;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	char *message = gr_vasprintf(fmt, ap);
	va_end(ap);
	if (!message) {
		w->oom = true;
		return;
	}
	r->findings[r->finding_count++] = (struct gr_finding){
		.severity = sev, .code = code, .file = file, .line = line,
		.message = message,
	};
	if (sev != GR_SEV_NOTE)
		r->warnings++;
}

char *recon_money(char buf[GR_MONEY_BUF], const mpz_t cents)
{
	return gr_cents_grouped(buf, cents);
}

void recon_grant_findings(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_tables *t = r->tables;
	struct gr_totals *tot = &r->totals;
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], c[GR_MONEY_BUF], day[11];
	const struct gr_budget_view *bv = &r->budget;
	for (size_t i = 0; i < bv->count; i++)
		if (bv->rows[i].member == GR_NO_MEMBER)
			recon_finding(w, GR_SEV_WARNING, "budget-unknown-member",
			       bv->path, bv->rows[i].line,
			       "budget row for member '%s', which is not in %s: %s %s "
			       "left out of the budget", bv->rows[i].member_id,
			       g->ini_path, g->currency, recon_money(a, bv->rows[i].amount));
	if (mpz_cmp(tot->budget, g->amount) != 0)
		recon_finding(w, GR_SEV_WARNING, "budget-total-mismatch", r->budget.path, 0,
		       "the budget adds up to %s %s, the grant amount is %s %s",
		       g->currency, recon_money(a, tot->budget), g->currency,
		       recon_money(b, g->amount));
	if (mpz_sgn(tot->over_ceiling) > 0)
		recon_finding(w, GR_SEV_WARNING, "over-ceiling", NULL, 0,
		       "actual %s %s is %s above the grant amount of %s: the "
		       "excess is the members' own contribution, not a claim on "
		       "the donor", g->currency, recon_money(a, tot->actual),
		       recon_money(b, tot->over_ceiling), recon_money(c, g->amount));
	for (size_t i = 0; i < t->tranche_count; i++)
		if (r->tranches[i].status == GR_TRANCHE_OVERDUE)
			recon_finding(w, GR_SEV_WARNING, "tranche-overdue", t->tranches_path,
			       t->tranches[i].line,
			       "tranche '%s' of %s %s was due on %s and is not received "
			       "(%ld days overdue)", t->tranches[i].name, g->currency,
			       recon_money(a, t->tranches[i].amount),
			       gr_date_iso(day, t->tranches[i].due),
			       r->tranches[i].days_overdue);
	mpz_t sum;
	mpz_init(sum);
	for (size_t i = 0; i < t->tranche_count; i++)
		mpz_add(sum, sum, t->tranches[i].amount);
	if (t->tranche_count > 0 && mpz_cmp(sum, g->amount) != 0)
		recon_finding(w, GR_SEV_WARNING, "tranches-total-mismatch", t->tranches_path,
		       0, "the tranches add up to %s %s, the grant amount is %s",
		       g->currency, recon_money(a, sum), recon_money(b, g->amount));
	mpz_clear(sum);
	if (mpz_cmp(tot->disbursed, tot->received) > 0)
		recon_finding(w, GR_SEV_WARNING, "disbursed-over-received",
		       t->disbursements_path, 0,
		       "the lead passed on %s %s but received %s from the donor",
		       g->currency, recon_money(a, tot->disbursed), recon_money(b, tot->received));
}

/* ---- findings about the conversion and the budget lines ------------------- */

/* One finding per (member, currency) whose lines took a fallback or a
 * stale rate (convert.c gathers them). */
void recon_fx_findings(struct work *w, const struct tally *fallbacks,
                       const struct tally *stale)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_ledger *ledger = r->ledger;
	const struct gr_fx *fx = r->fx;
	char a[GR_MONEY_BUF], day[11];
	for (size_t k = 0; k < fallbacks->count; k++) {
		const struct fallback *fb = &fallbacks->items[k];
		const struct gr_line *line = &ledger->lines[fb->first_line];
		const struct gr_rate *rt = &fx->rates[r->converted[fb->first_line].rate];
		recon_finding(w, GR_SEV_WARNING, "fx-fallback", gr_line_input(ledger, line)->path,
		              line->line,
		              "no transfer in %s to member '%s' on or before %s: %zu "
		              "line%s converted at the rate of the first transfers, made "
		              "on %s (%s up to line %ld)", fb->currency,
		              g->members[fb->member].id,
		              gr_date_iso(day, line->date), fb->count,
		              fb->count == 1 ? "" : "s", gr_date_iso(a, rt->date),
		              rt->path, rt->line);
	}
	for (size_t k = 0; k < stale->count; k++) {
		const struct fallback *old = &stale->items[k];
		const struct gr_line *line = &ledger->lines[old->worst_line];
		const struct gr_rate *rt = &fx->rates[r->converted[old->worst_line].rate];
		recon_finding(w, GR_SEV_WARNING, "fx-stale-rate", gr_line_input(ledger, line)->path,
		              line->line,
		              "%zu line%s of member '%s' in %s took a daily rate more than "
		              "%d days older than the line; the oldest: %s for %s (%ld "
		              "days, %s line %ld). Is the rate table complete?", old->count,
		              old->count == 1 ? "" : "s", g->members[old->member].id,
		              old->currency, GR_STALE_DAYS, gr_date_iso(a, rt->date),
		              gr_date_iso(day, line->date), old->worst_gap, rt->path,
		              rt->line);
	}
}

/* Budget lines whose variance passes the threshold without a comment. */
void recon_budget_line_findings(struct work *w)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	char a[GR_MONEY_BUF], day[11];
	for (size_t i = 0; i < r->line_count; i++) {
		const struct gr_line_result *lr = &r->lines[i];
		/* Unbudgeted lines have a finding of their own. */
		if (!lr->over_threshold || lr->comment || !lr->budgeted)
			continue;
		char b[GR_MONEY_BUF], c[GR_MONEY_BUF];
		/* Before the end date, spending below the whole budget is the
		 * normal state of the books: noted, not a warning. Spending
		 * already above it is. */
		if (r->as_of_given && r->as_of < g->end &&
		    mpz_cmp(lr->actual, lr->budget) < 0) {
			recon_finding(w, GR_SEV_NOTE, "under-budget-to-date", r->budget.path,
			              lr->budget_row_line,
			              "budget line '%s' of member '%s' has used %s of %s "
			              "(%s%%) as of %s", lr->name, g->members[lr->member].id,
			              recon_money(b, lr->actual), recon_money(c, lr->budget),
			              lr->variance_pct, gr_date_iso(day, r->as_of));
			continue;
		}
		if (!lr->has_pct)
			recon_finding(w, GR_SEV_WARNING, "missing-comment", r->budget.path,
			              lr->budget_row_line,
			              "budget line '%s' of member '%s' has a budget of 0.00 "
			              "but an actual of %s, and no comment in comments.csv",
			              lr->name, g->members[lr->member].id,
			              recon_money(b, lr->actual));
		else
			recon_finding(w, GR_SEV_WARNING, "missing-comment", r->budget.path,
			              lr->budget_row_line,
			              "budget line '%s' of member '%s' is %s%s%% off budget "
			              "(actual %s, budget %s), above the %s%% threshold, and "
			              "has no comment in comments.csv", lr->name,
			              g->members[lr->member].id,
			              lr->variance_pct[0] != '-' ? "+" : "", lr->variance_pct,
			              recon_money(b, lr->actual), recon_money(c, lr->budget),
			              gr_dec_str(a, &g->threshold));
	}
}
