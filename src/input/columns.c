#include "input/columns.h"

#include <stdio.h>
#include <string.h>

#include "grantrec/decimal.h"
#include "base/util.h"

static bool same_name(const char *header_cell, const char *name)
{
	size_t n;
	const char *t = gr_trim(header_cell, &n);
	return strlen(name) == n && memcmp(t, name, n) == 0;
}

/* "a, b, c" of the header cells, cut to fit. */
static void list_header(char *buf, size_t size, const struct gr_csv_row *h)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < h->nfields && o + 8 < size; i++) {
		char q[64];
		int n = snprintf(buf + o, size - o, "%s'%s'", i ? ", " : "",
		                 gr_quote_value(q, sizeof(q), h->fields[i]));
		if (n < 0 || (size_t)n >= size - o) {
			snprintf(buf + o, size - o, ", ...");
			break;
		}
		o += (size_t)n;
	}
}

bool gr_columns_map(struct gr_columns *cols, const struct gr_csv_row *header,
                    const char *path, struct gr_diags *diags)
{
	bool ok = true;
	cols->header_fields = header->nfields;
	for (size_t c = 0; c < cols->count; c++) {
		cols->index[c] = -1;
		for (size_t i = 0; i < header->nfields; i++) {
			if (!same_name(header->fields[i], cols->names[c]))
				continue;
			if (cols->index[c] >= 0) {
				gr_error(diags, path, header->line,
				         "the header names column '%s' twice (fields %ld "
				         "and %zu)", cols->names[c], cols->index[c] + 1,
				         i + 1);
				ok = false;
				break;
			}
			cols->index[c] = (long)i;
		}
		if (cols->index[c] < 0 && c < cols->required) {
			char found[400];
			list_header(found, sizeof(found), header);
			if (cols->keys)
				gr_error(diags, path, header->line,
				         "no column '%s' (%s) in the header; found %s",
				         cols->names[c], cols->keys[c], found);
			else
				gr_error(diags, path, header->line,
				         "no column '%s' in the header; found %s",
				         cols->names[c], found);
			ok = false;
		}
	}
	return ok;
}

bool gr_columns_check_row(const struct gr_columns *cols,
                          const struct gr_csv_row *row, const char *path,
                          struct gr_diags *diags)
{
	if (row->nfields == cols->header_fields)
		return true;
	gr_error(diags, path, row->line,
	         "%zu field%s where the header has %zu (%s)", row->nfields,
	         row->nfields == 1 ? "" : "s", cols->header_fields,
	         row->nfields < cols->header_fields
	         ? "a missing delimiter, or a line cut short?"
	         : "an unquoted delimiter inside a value?");
	return false;
}

const char *gr_columns_field(const struct gr_columns *cols,
                             const struct gr_csv_row *row, size_t i)
{
	long idx = cols->index[i];
	return idx >= 0 && (size_t)idx < row->nfields ? row->fields[idx] : "";
}

struct table_reader {
	struct gr_columns *cols;
	gr_table_row_fn on_row;
	void *ctx;
	const char *path;
	struct gr_diags *diags;
	bool have_header;
	bool header_ok;
};

static bool table_row(void *ctx, const struct gr_csv_row *row)
{
	struct table_reader *t = ctx;
	if (!t->have_header) {
		t->have_header = true;
		t->header_ok = gr_columns_map(t->cols, row, t->path, t->diags);
		return t->header_ok;
	}
	if (gr_columns_check_row(t->cols, row, t->path, t->diags))
		t->on_row(t->ctx, t->cols, row);
	return true;
}

enum gr_status gr_table_read(struct gr_input *input,
                             const struct gr_csv_options *options,
                             struct gr_columns *cols, gr_table_row_fn on_row,
                             void *ctx, struct gr_diags *diags)
{
	struct table_reader t = {
		.cols = cols, .on_row = on_row, .ctx = ctx, .path = input->path,
		.diags = diags,
	};
	size_t errors_before = diags->errors;
	enum gr_status st = gr_csv_read(input, options, table_row, &t, diags);
	if (st != GR_OK)
		return st;
	if (!t.have_header) {
		char expected[200] = "";
		size_t o = 0;
		for (size_t c = 0; c < cols->required && o < sizeof(expected); c++)
			o += (size_t)snprintf(expected + o, sizeof(expected) - o, "%s%s",
			                      c ? (options->delimiter == '\t' ? "<tab>"
			                           : (char[]){options->delimiter, 0})
			                        : "", cols->names[c]);
		gr_error(diags, input->path, 0,
		         "the file is empty: expected a header row such as '%s'",
		         expected);
		return GR_E_INPUT;
	}
	return diags->errors > errors_before ? GR_E_INPUT : GR_OK;
}

bool gr_field_cents(mpz_t out, const char *text, const char *column,
                    const char *path, long line, struct gr_diags *diags)
{
	struct gr_dec dec;
	gr_dec_init(&dec);
	const char *why = gr_dec_parse(&dec, text, GR_NUMBER_PLAIN, 2);
	if (why) {
		char q[80];
		gr_error(diags, path, line,
		         "column '%s': invalid amount '%s': expected %s (such as "
		         "1234.56)", column, gr_quote_value(q, sizeof(q), text), why);
	} else {
		gr_dec_to_cents(out, &dec, GR_ROUND_HALF_UP, NULL);
	}
	gr_dec_clear(&dec);
	return why == NULL;
}

bool gr_field_date(gr_date *out, const char *text, const char *column,
                   enum gr_date_format format, const char *path, long line,
                   struct gr_diags *diags)
{
	const char *why = gr_date_parse(out, text, format);
	if (why) {
		char q[80];
		gr_error(diags, path, line, "column '%s': invalid date '%s': "
		         "expected %s", column, gr_quote_value(q, sizeof(q), text),
		         why);
	}
	return why == NULL;
}

bool gr_field_currency(char out[4], const char *text, const char *column,
                       const char *path, long line, struct gr_diags *diags)
{
	size_t n;
	const char *t = gr_trim(text, &n);
	bool ok = n == 3;
	for (size_t i = 0; ok && i < 3; i++) {
		char c = t[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		ok = c >= 'A' && c <= 'Z';
		out[i] = c;
	}
	out[3] = '\0';
	if (!ok) {
		char q[80];
		gr_error(diags, path, line, "column '%s': invalid currency '%s': "
		         "expected an ISO 4217 code such as EUR or USD", column,
		         gr_quote_value(q, sizeof(q), text));
	}
	return ok;
}
