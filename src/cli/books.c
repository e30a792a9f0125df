/*
 * books.c: one reconciliation's inputs read and reconciled, for every
 * command that needs the figures (reconcile, check, tranches, verify,
 * export).
 */
#include "books.h"

#include <string.h>

void books_init(struct books *b)
{
	memset(b, 0, sizeof(*b));
	gr_grant_init(&b->grant);
}

void books_release(struct books *b)
{
	gr_rule_results_release(&b->rules);
	gr_recon_release(&b->recon);
	gr_ledger_release(&b->ledger);
	gr_fx_release(&b->fx);
	gr_tables_release(&b->tables);
	gr_grant_release(&b->grant);
	gr_inputs_release(&b->inputs);
}

enum gr_status books_load(struct books *b, const char *ini,
                          const struct gr_recon_request *request,
                          struct gr_diags *diags)
{
	enum gr_status st = gr_grant_load(&b->grant, ini, &b->inputs, diags);
	if (st == GR_OK) {
		/* Read every file, even after a bad one, to report all at once. */
		enum gr_status s1 = gr_tables_load(&b->tables, &b->grant, &b->inputs,
		                                   diags);
		enum gr_status s2 = gr_fx_load(&b->fx, &b->grant, &b->inputs, diags);
		enum gr_status s3 = gr_ledger_load(&b->ledger, &b->grant, &b->inputs,
		                                   diags);
		st = s1 > st ? s1 : st;
		st = s2 > st ? s2 : st;
		st = s3 > st ? s3 : st;
	}
	if (st == GR_OK)
		st = gr_reconcile_request(&b->recon, &b->grant, &b->tables, &b->fx,
		                          &b->ledger, request, diags);
	if (st == GR_OK)
		st = gr_rules_check(&b->rules, &b->grant, &b->recon, diags);
	return st;
}

