/*
 * csvread.h (private): bytes -> rows of UTF-8 fields, each row with the
 * physical line it starts on. The only file that includes <csv.h>.
 *
 * libcsv runs strict (a stray quote is an error, an unclosed quote at the
 * end of the file is an error), without its silent trimming of spaces. The
 * reader feeds libcsv one physical line at a time so that it can count
 * lines itself (libcsv reports none), checks the declared encoding and
 * converts Windows-1252 to UTF-8 with iconv(3), refuses NUL bytes, caps the
 * size of a field and of a line, skips blank lines, and takes the SHA-256
 * of the raw bytes on the way for the input manifest.
 */
#ifndef GRANTREC_CSVREAD_H
#define GRANTREC_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "grantrec/diag.h"
#include "grantrec/inputs.h"

#define GR_CSV_MAX_FIELD (1024 * 1024)
#define GR_CSV_MAX_LINE (8 * 1024 * 1024)

struct gr_csv_options {
	char delimiter;
	enum gr_encoding encoding;
};

struct gr_csv_row {
	size_t nfields;
	const char *const *fields; /* NUL-terminated UTF-8, valid during the callback */
	long line;                 /* physical line where the record starts */
};

/* Return false to stop reading (the reader then reports no error itself). */
typedef bool (*gr_csv_row_fn)(void *ctx, const struct gr_csv_row *row);

/*
 * Reads `input->path`, calling `on_row` for every non-blank record, header
 * included. Fills input->lines and input->sha256. Errors go to `diags` as
 * "path:line: ..." and return GR_E_INPUT (GR_E_SYSTEM when out of memory).
 */
enum gr_status gr_csv_read(struct gr_input *input,
                           const struct gr_csv_options *options,
                           gr_csv_row_fn on_row, void *ctx,
                           struct gr_diags *diags);

#endif
