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
	for (size_t i = 0; i < t->budget_count; i++)
		if (t->budget[i].member == GR_NO_MEMBER)
			recon_finding(w, GR_SEV_WARNING, "budget-unknown-member",
			       t->budget_path, t->budget[i].line,
			       "budget row for member '%s', which is not in %s: %s %s "
			       "left out of the budget", t->budget[i].member_id,
			       g->ini_path, g->currency, recon_money(a, t->budget[i].amount));
	if (mpz_cmp(tot->budget, g->amount) != 0)
		recon_finding(w, GR_SEV_WARNING, "budget-total-mismatch", t->budget_path, 0,
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
