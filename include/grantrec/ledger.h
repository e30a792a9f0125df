/*
 * ledger.h: the members' expenditure lines, read through each member's
 * import profile into typed records.
 *
 * Every line keeps its provenance (member, input file, physical line) and
 * its amount exactly as written, in its own currency. Budget lines and
 * countries are interned: compare their ids, read their text from the sets.
 */
#ifndef GRANTREC_LEDGER_H
#define GRANTREC_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "grantrec/date.h"
#include "grantrec/decimal.h"
#include "grantrec/diag.h"
#include "grantrec/grant.h"
#include "grantrec/inputs.h"
#include "grantrec/strset.h"

struct gr_line {
	uint32_t member;
	uint32_t budget_line;  /* id in gr_ledger.budget_lines */
	uint32_t country;      /* id in gr_ledger.countries ("" when empty) */
	gr_date date;
	long line;             /* physical line in the source file */
	const struct gr_input *source;
	struct gr_dec amount;  /* as written, in `currency` */
	char currency[4];
	char *voucher;
	char *description;
};

struct gr_ledger {
	struct gr_line *lines;
	size_t count, cap;
	struct gr_strset budget_lines;
	struct gr_strset countries;
};

void gr_ledger_release(struct gr_ledger *ledger);

/* Reads every member's ledger, in grant.ini order. Each file is read to its
 * end so that all its bad lines are reported, not just the first. */
enum gr_status gr_ledger_load(struct gr_ledger *ledger,
                              const struct gr_grant *grant,
                              struct gr_inputs *inputs,
                              struct gr_diags *diags);

#endif
