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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grantrec/date.h"
#include "grantrec/decimal.h"
#include "grantrec/diag.h"
#include "grantrec/grant.h"
#include "grantrec/inputs.h"
#include "grantrec/strset.h"

/*
 * One ledger line, kept small: a grant of ten million lines must fit in a
 * gigabyte. The amount is its coefficient in 64 bits when it fits (nearly
 * always); a longer one lives in gr_ledger.big_amounts. The voucher lives
 * in the ledger's text arena. The description is not kept at all: only
 * the workbook's Ledger sheet shows it, and it reads it again from the file
 * (gr_ledger_descriptions).
 */
struct gr_line {
	int64_t amount;        /* coefficient (value = amount / 10^scale), or,
	                          when amount_big, an index in big_amounts */
	const char *voucher;   /* in the ledger's text arena */
	uint32_t member;
	uint32_t budget_line;  /* id in gr_ledger.budget_lines */
	uint32_t country;      /* id in gr_ledger.countries ("" when empty) */
	gr_date date;
	uint32_t line;         /* physical line in the source file */
	uint32_t source;       /* index in gr_ledger.sources */
	char currency[4];
	uint8_t scale;         /* decimals of the amount as written */
	bool amount_big;
};

/* Text kept for the run, in large blocks that never move. */
struct gr_text_arena {
	char **blocks;
	size_t count, cap;
	size_t used;           /* bytes used in the last block */
	size_t block_size;
};

struct gr_ledger_source {
	const struct gr_input *input;
	uint32_t member;
	size_t first, end;     /* its lines: lines[first .. end) */
};

struct gr_ledger {
	struct gr_line *lines;
	size_t count, cap;
	struct gr_strset budget_lines;
	struct gr_strset countries;
	struct gr_ledger_source *sources;  /* the files, in reading order */
	size_t source_count, source_cap;
	struct gr_dec *big_amounts;        /* amounts beyond 64 bits */
	size_t big_count, big_cap;
	struct gr_text_arena texts;
};

void gr_ledger_release(struct gr_ledger *ledger);

/* Reads every member's ledger, in grant.ini order. Each file is read to its
 * end so that all its bad lines are reported, not just the first. */
enum gr_status gr_ledger_load(struct gr_ledger *ledger,
                              const struct gr_grant *grant,
                              struct gr_inputs *inputs,
                              struct gr_diags *diags);

/* The file a line comes from. */
static inline const struct gr_input *gr_line_input(const struct gr_ledger *ledger,
                                                   const struct gr_line *line)
{
	return ledger->sources[line->source].input;
}

/* The amount as written, into an initialised gr_dec. */
void gr_line_amount(const struct gr_ledger *ledger, const struct gr_line *line,
                    struct gr_dec *out);

/* Significant digits of the amount as written (see
 * gr_dec_significant_digits). */
size_t gr_line_digits(const struct gr_ledger *ledger, const struct gr_line *line);

/* The amount as text with its own scale, e.g. "1234.500". */
char *gr_line_amount_str(char buf[GR_MONEY_BUF], const struct gr_ledger *ledger,
                         const struct gr_line *line);

/* Two lines' amounts are the same number (1.5 = 1.50): <0, 0, >0. */
int gr_line_amount_cmp(const struct gr_ledger *ledger, const struct gr_line *x,
                       const struct gr_line *y);

/*
 * Reads the ledger files again and calls `fn` with every stored line's
 * index and description, in ledger order. A file whose bytes changed since
 * it was loaded (its SHA-256 differs) is an input error: the figures
 * already computed would no longer describe it.
 */
typedef bool (*gr_description_fn)(void *ctx, size_t index,
                                  const char *description);
enum gr_status gr_ledger_descriptions(const struct gr_ledger *ledger,
                                      const struct gr_grant *grant,
                                      gr_description_fn fn, void *ctx,
                                      struct gr_diags *diags);

#endif
