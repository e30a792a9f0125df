/*
 * funds.c: the funds: each tranche's status, what the donor paid and the
 * lead passed on, each member's position, and what the outstanding
 * tranches cover.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/progress.h"
#include "base/util.h"
#include "reconcile/recon_internal.h"

static const char *const tranche_status_names[] = {
	[GR_TRANCHE_RECEIVED] = "received",
	[GR_TRANCHE_OUTSTANDING] = "outstanding",
	[GR_TRANCHE_OVERDUE] = "overdue",
};

const char *gr_tranche_status_name(enum gr_tranche_status status)
{
	return tranche_status_names[status];
}

/* ---- funds ---------------------------------------------------------------- */

void recon_build_funds(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_tables *t = r->tables;
	struct gr_totals *tot = &r->totals;
	for (size_t i = 0; i < t->tranche_count; i++) {
		const struct gr_tranche *tr = &t->tranches[i];
		struct gr_tranche_result *res = &r->tranches[i];
		if (tr->received != GR_NO_DATE && tr->received <= r->as_of) {
			res->status = GR_TRANCHE_RECEIVED;
			mpz_add(tot->received, tot->received, tr->amount);
			if (r->quarter >= 0 && tr->received >= r->quarters[r->quarter].from)
				mpz_add(tot->quarter_received, tot->quarter_received,
				        tr->amount);
		} else {
			mpz_add(tot->outstanding, tot->outstanding, tr->amount);
			if (tr->due <= r->as_of) {
				res->status = GR_TRANCHE_OVERDUE;
				res->days_overdue = (long)(r->as_of - tr->due);
			} else {
				res->status = GR_TRANCHE_OUTSTANDING;
			}
		}
	}
	for (size_t i = 0; i < t->disbursement_count; i++) {
		const struct gr_disbursement *d = &t->disbursements[i];
		if (d->date > r->as_of)
			continue;
		struct gr_member_result *mr = &r->members[d->member];
		mpz_add(mr->disbursed, mr->disbursed, d->amount);
		mpz_add(tot->disbursed, tot->disbursed, d->amount);
		if (r->quarter >= 0 && d->date >= r->quarters[r->quarter].from) {
			mpz_add(mr->quarter_disbursed, mr->quarter_disbursed, d->amount);
			mpz_add(tot->quarter_disbursed, tot->quarter_disbursed, d->amount);
		}
	}
	/* The lead's share is what it kept of the tranches: received minus
	 * everything passed on. Then position = disbursed - actual holds for
	 * every member, and the positions add up to received - actual. */
	struct gr_member_result *lead = &r->members[g->lead];
	mpz_sub(lead->disbursed, tot->received, tot->disbursed);
	for (size_t m = 0; m < g->member_count; m++)
		mpz_sub(r->members[m].position, r->members[m].disbursed,
		        r->members[m].actual);
	mpz_set(tot->lead_cash, lead->position);
	/* The lead's quarter share: what it kept of this quarter's receipts. */
	mpz_sub(lead->quarter_disbursed, tot->quarter_received,
	        tot->quarter_disbursed);
}

/* ---- what the outstanding tranches cover ------------------------------------ */

void recon_build_cover(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	struct gr_totals *tot = &r->totals;
	struct gr_cover *all = &tot->cover;
	for (size_t m = 0; m < g->member_count; m++) {
		struct gr_member_result *mr = &r->members[m];
		if (mpz_sgn(mr->position) < 0) {
			mpz_neg(mr->cover.prefinanced, mr->position);
			mpz_add(all->prefinanced, all->prefinanced, mr->cover.prefinanced);
		}
	}
	/* The donor pays at most the ceiling, and at most what was spent:
	 * what is still to come covers pre-financing up to the outstanding
	 * tranches and the room left under min(ceiling, actual). */
	mpz_ptr room = tot->room;
	mpz_set(room, mpz_cmp(tot->actual, g->amount) < 0 ? tot->actual
	                                                   : g->amount);
	mpz_sub(room, room, tot->received);
	if (mpz_sgn(room) < 0)
		mpz_set_ui(room, 0);
	mpz_set(tot->claimable, tot->outstanding);
	if (mpz_cmp(room, tot->claimable) < 0)
		mpz_set(tot->claimable, room);
	mpz_set(all->covered, tot->claimable);
	if (mpz_cmp(all->prefinanced, all->covered) < 0)
		mpz_set(all->covered, all->prefinanced);
	/* Pro rata to pre-financing; cents left by the rounding down go to the
	 * largest remainders (then to the earlier member), so the shares add
	 * up exactly. */
	size_t n = g->member_count;
	mpz_t *rem = gr_calloc(n, sizeof(*rem));
	mpz_t given, num;
	mpz_inits(given, num, NULL);
	if (!rem) {
		w->oom = true;
		mpz_clears(given, num, NULL);
		return;
	}
	for (size_t m = 0; m < n; m++) {
		struct gr_cover *c = &r->members[m].cover;
		mpz_init(rem[m]);
		if (mpz_sgn(all->prefinanced) == 0)
			continue;
		mpz_mul(num, c->prefinanced, all->covered);
		mpz_fdiv_qr(c->covered, rem[m], num, all->prefinanced);
		mpz_add(given, given, c->covered);
	}
	mpz_sub(given, all->covered, given); /* cents still to hand out */
	while (mpz_sgn(given) > 0) {
		size_t best = n;
		for (size_t m = 0; m < n; m++)
			if (mpz_sgn(rem[m]) > 0 &&
			    (best == n || mpz_cmp(rem[m], rem[best]) > 0))
				best = m;
		if (best == n)
			break;
		mpz_add_ui(r->members[best].cover.covered,
		           r->members[best].cover.covered, 1);
		mpz_set_ui(rem[best], 0);
		mpz_sub_ui(given, given, 1);
	}
	for (size_t m = 0; m < n; m++) {
		struct gr_cover *c = &r->members[m].cover;
		mpz_sub(c->own_contribution, c->prefinanced, c->covered);
		mpz_clear(rem[m]);
	}
	mpz_sub(all->own_contribution, all->prefinanced, all->covered);
	free(rem);
	mpz_clears(given, num, NULL);
}
