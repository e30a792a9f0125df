/*
 * columns.h (private): finds the columns a loader needs in a header row.
 *
 * Each loader names its columns (canonical names, or a member's own header
 * names); the first `required` must be present. Header cells are compared
 * after trimming spaces. A needed name that appears twice is an error (we
 * could not tell which one holds the data); other duplicates are ignored
 * along with every column nobody asked for.
 */
#ifndef GRANTREC_COLUMNS_H
#define GRANTREC_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include <gmp.h>

#include "input/csvread.h"
#include "grantrec/date.h"

#define GR_MAX_COLUMNS 16

struct gr_columns {
	const char *const *names;
	size_t count;
	size_t required;
	long index[GR_MAX_COLUMNS]; /* -1 when absent */
	size_t header_fields;
	/* Optional: how to refer to column i in messages, e.g. "col.amount". */
	const char *const *keys;
};

/* Maps the header; reports what is missing or doubled and returns false. */
bool gr_columns_map(struct gr_columns *cols, const struct gr_csv_row *header,
                    const char *path, struct gr_diags *diags);

/* Checks that a data row has as many fields as the header. */
bool gr_columns_check_row(const struct gr_columns *cols,
                          const struct gr_csv_row *row, const char *path,
                          struct gr_diags *diags);

/* The field of column i, or "" when the column is absent. */
const char *gr_columns_field(const struct gr_columns *cols,
                             const struct gr_csv_row *row, size_t i);


/* ---- whole tables ------------------------------------------------------ */

typedef void (*gr_table_row_fn)(void *ctx, const struct gr_columns *cols,
                                const struct gr_csv_row *row);

/* Reads a CSV table: maps the header (the first record) into `cols`, checks
 * the field count of every data row and hands each good row to `on_row`.
 * A file with no header at all is an error. */
enum gr_status gr_table_read(struct gr_input *input,
                             const struct gr_csv_options *options,
                             struct gr_columns *cols, gr_table_row_fn on_row,
                             void *ctx, struct gr_diags *diags);

/* Typed fields, each reporting "path:line: column 'x': ..." on failure. */
bool gr_field_cents(mpz_t out, const char *text, const char *column,
                    const char *path, long line, struct gr_diags *diags);
bool gr_field_date(gr_date *out, const char *text, const char *column,
                   enum gr_date_format format, const char *path, long line,
                   struct gr_diags *diags);
bool gr_field_currency(char out[4], const char *text, const char *column,
                       const char *path, long line, struct gr_diags *diags);

#endif
