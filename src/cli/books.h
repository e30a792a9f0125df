/*
 * books.h: everything one reconciliation reads and builds, loaded and
 * released together. The commands that need the figures share it.
 */
#ifndef GRANTREC_CLI_BOOKS_H
#define GRANTREC_CLI_BOOKS_H

#include "grantrec/diag.h"
#include "grantrec/fx.h"
#include "grantrec/grant.h"
#include "grantrec/inputs.h"
#include "grantrec/ledger.h"
#include "grantrec/reconcile.h"
#include "grantrec/rules.h"
#include "grantrec/tables.h"

struct books {
	struct gr_inputs inputs;
	struct gr_grant grant;
	struct gr_tables tables;
	struct gr_fx fx;
	struct gr_ledger ledger;
	struct gr_recon recon;
	struct gr_rule_results rules;   /* the donor's rules, after recon */
};

void books_init(struct books *b);
void books_release(struct books *b);

/* Reads grant.ini and every file it names (all of them, even after a bad
 * one, so that every error is reported at once), then reconciles and
 * checks the donor's rules. */
enum gr_status books_load(struct books *b, const char *ini,
                          const struct gr_recon_request *request,
                          struct gr_diags *diags);

#endif
