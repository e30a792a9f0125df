/*
 * declared.c: the figures the members declared per quarter, against their
 * ledgers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/progress.h"
#include "base/util.h"
#include "reconcile/recon_internal.h"

/* ---- declared figures ------------------------------------------------------- */

void recon_build_declared(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_tables *t = r->tables;
	if (t->declared_count == 0)
		return;
	r->declared = gr_calloc(t->declared_count, sizeof(*r->declared));
	if (!r->declared) {
		w->oom = true;
		return;
	}
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], c[GR_MONEY_BUF];
	for (size_t i = 0; i < t->declared_count; i++) {
		const struct gr_declared *d = &t->declared[i];
		long q = -1;
		for (size_t k = 0; k < r->quarter_count && q < 0; k++) {
			const char *label = r->quarters[k].label;
			if (strcmp(label, d->quarter) == 0 ||
			    (label[0] == 'Q' && strcmp(label + 1, d->quarter) == 0))
				q = (long)k;
		}
		if (q < 0) {
			recon_finding(w, GR_SEV_WARNING, "declared-unknown-quarter",
			              t->declared_path, d->line,
			              "member '%s' declared %s for '%s', which is not a "
			              "quarter of this reconciliation (%s to %s)",
			              g->members[d->member].id, recon_money(a, d->amount), d->quarter,
			              r->quarters[0].label,
			              r->quarters[r->quarter_count - 1].label);
			continue;
		}
		struct gr_declared_result *res = &r->declared[r->declared_count++];
		res->member = d->member;
		res->quarter = (size_t)q;
		res->declared = d;
		mpz_init_set(res->ledger, r->quarters[q].by_member[d->member]);
		mpz_init(res->difference);
		mpz_sub(res->difference, d->amount, res->ledger);
		if (mpz_sgn(res->difference) != 0)
			recon_finding(w, GR_SEV_WARNING, "declared-differs", t->declared_path,
			              d->line,
			              "member '%s' reported %s %s for %s; the ledger gives %s "
			              "(a difference of %s)", g->members[d->member].id,
			              g->currency, recon_money(a, d->amount), d->quarter,
			              recon_money(b, res->ledger), recon_money(c, res->difference));
	}
}
