/*
 * xlsx_cells.c: writing one cell, and the formulas that sum the ledger.
 *
 * This is where exact figures become doubles, at the moment they are
 * written: the decimal text of the exact value goes through strtod(), which
 * gives the double closest to it (cents / 100.0 would not). The process
 * never calls setlocale(), so strtod() reads a decimal point and
 * libxlsxwriter's "%.16G" writes one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/xlsx_writer.h"

void xw_check(struct xw *w, lxw_error err)
{
	if (err != LXW_NO_ERROR && w->error == LXW_NO_ERROR)
		w->error = err;
}

static double finite_or_zero(double v)
{
	/* The texts come from exact integers and decimals of bounded size, so
	 * this cannot trigger; a zero keeps "-0" out of the file. */
	if (!isfinite(v) || fpclassify(v) == FP_ZERO)
		return 0.0;
	return v;
}

double xw_cents(const mpz_t cents)
{
	char buf[GR_MONEY_BUF];
	return finite_or_zero(strtod(gr_cents_str(buf, cents), NULL));
}

double xw_decimal(const struct gr_dec *dec)
{
	char buf[GR_MONEY_BUF];
	return finite_or_zero(strtod(gr_dec_str(buf, dec), NULL));
}

double xw_rational(const mpq_t value, int places)
{
	char buf[GR_MONEY_BUF];
	return finite_or_zero(strtod(gr_mpq_str(buf, value, places), NULL));
}

double xw_serial(gr_date date)
{
	/* Serial 25569 is 1970-01-01. Excel counts a 29 February 1900 that
	 * never was, so dates before 1 March 1900 are one lower. */
	double serial = (double)date + 25569.0;
	if (date < gr_date_from_ymd(1900, 3, 1))
		serial -= 1.0;
	return serial;
}

const char *xw_col(char buf[8], lxw_col_t col)
{
	char tmp[8];
	size_t n = 0;
	unsigned c = (unsigned)col + 1;
	while (c > 0 && n < sizeof(tmp)) {
		unsigned rem = (c - 1) % 26;
		tmp[n++] = (char)('A' + rem);
		c = (c - 1) / 26;
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

const char *xw_currency(const struct xw *w)
{
	return w->r->grant->currency;
}

/* ---- notes ------------------------------------------------------------------ */

void xw_add_note(struct xw *w, const char *file, long line, const char *fmt,
                 ...)
{
	if (w->note_count >= XW_NOTES_KEEP) {
		w->notes_dropped++;
		return;
	}
	if (!gr_grow((void **)&w->notes, &w->note_cap, w->note_count + 1,
	             sizeof(*w->notes))) {
		w->oom = true;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	char *message = gr_vasprintf(fmt, ap);
	va_end(ap);
	char *f = file ? gr_strdup(file) : NULL;
	if (!message || (file && !f)) {
		free(message);
		free(f);
		w->oom = true;
		return;
	}
	w->notes[w->note_count++] = (struct xw_note){
		.file = f, .line = line, .message = message,
	};
}

/* ---- cells ------------------------------------------------------------------ */

static void write_clean(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                        lxw_col_t col, const struct xw_clean *clean,
                        lxw_format *fmt)
{
	char *cell = xw_cell_text(clean);
	if (!cell) {
		w->oom = true;
		return;
	}
	/* worksheet_write_string() stores text as text: a leading '=' never
	 * makes a formula. An empty text makes a blank cell. */
	xw_check(w, worksheet_write_string(ws, row, col, cell, fmt));
	if (cell != clean->text)
		free(cell);
}

void xw_label_text(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                   lxw_col_t col, const struct xw_clean *clean,
                   lxw_format *fmt)
{
	write_clean(w, ws, row, col, clean, fmt);
}

void xw_text(struct xw *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
             const char *text, lxw_format *fmt, const char *file, long line,
             const char *what)
{
	struct xw_clean clean;
	if (!xw_clean_text(&clean, text, XW_CELL_UNITS)) {
		w->oom = true;
		return;
	}
	write_clean(w, ws, row, col, &clean, fmt);
	if (clean.replaced || clean.cut) {
		char where[128] = "";
		char cell[16];
		if (!file) {
			lxw_rowcol_to_cell(cell, row, col);
			snprintf(where, sizeof(where), "sheet '%s' cell %s: ", ws->name,
			         cell);
		}
		if (clean.replaced)
			xw_add_note(w, file, line,
			            "%s%s: %zu character%s not allowed in a workbook "
			            "replaced by a visible symbol", where, what,
			            clean.replaced, clean.replaced == 1 ? "" : "s");
		if (clean.cut)
			xw_add_note(w, file, line,
			            "%s%s: cut from %zu to %d characters, the most a "
			            "cell holds (the cut ends in '...')", where, what,
			            clean.units, XW_CELL_UNITS);
	}
	xw_clean_release(&clean);
}

/* Lines the text takes when wrapped at `width` characters, by words. */
static unsigned wrapped_lines(const char *text, double width)
{
	size_t max = width > 4 ? (size_t)(width - 1) : 3;
	unsigned lines = 1;
	size_t col = 0;
	const char *p = text;
	while (*p) {
		if (*p == '\n') {
			lines++;
			col = 0;
			p++;
			continue;
		}
		size_t word = 0;
		const char *q = p;
		while (*q && *q != ' ' && *q != '\n') {
			if (((unsigned char)*q & 0xC0) != 0x80)
				word++;
			q++;
		}
		if (col > 0 && col + 1 + word > max) {
			lines++;
			col = 0;
		}
		col += (col > 0) + word;
		while (col > max) {     /* a word longer than a line */
			lines++;
			col -= max;
		}
		p = *q == ' ' ? q + 1 : q;
	}
	return lines;
}

void xw_fit_row(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                const char *text, double width)
{
	unsigned lines = wrapped_lines(text, width);
	if (lines > 1)
		xw_check(w, worksheet_set_row(ws, row, 15.0 * (lines > 27 ? 27 : lines),
		                              NULL));
}

void xw_note_block(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                   lxw_col_t first, lxw_col_t last, double width,
                   const char *text, lxw_format *fmt)
{
	struct xw_clean clean;
	if (!xw_clean_text(&clean, text, XW_CELL_UNITS)) {
		w->oom = true;
		return;
	}
	char *cell = xw_cell_text(&clean);
	if (!cell) {
		xw_clean_release(&clean);
		w->oom = true;
		return;
	}
	xw_fit_row(w, ws, row, clean.text, width);
	if (last > first)
		xw_check(w, worksheet_merge_range(ws, row, first, row, last, cell,
		                                  fmt));
	else
		xw_check(w, worksheet_write_string(ws, row, first, cell, fmt));
	if (cell != clean.text)
		free(cell);
	xw_clean_release(&clean);
}

void xw_money(struct xw *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
              const mpz_t cents, lxw_format *fmt)
{
	xw_check(w, worksheet_write_number(ws, row, col, xw_cents(cents), fmt));
}

void xw_date(struct xw *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
             gr_date date, lxw_format *fmt)
{
	if (date == GR_NO_DATE)
		return;
	xw_check(w, worksheet_write_number(ws, row, col, xw_serial(date), fmt));
}

void xw_number(struct xw *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
               double value, lxw_format *fmt)
{
	xw_check(w, worksheet_write_number(ws, row, col, finite_or_zero(value),
	                                   fmt));
}

/* Excel refuses a formula longer than this (characters, without '='). */
#define XW_FORMULA_MAX 8191

static bool formula_ready(struct xw *w)
{
	if (w->f.oom || !w->f.s) {
		w->oom = true;
		return false;
	}
	if (xw_utf16_units(w->f.s) > XW_FORMULA_MAX) {
		/* Only a ledger over a great many sheets, with long labels, gets
		 * here: say so rather than write a file Excel would repair. */
		if (w->error == LXW_NO_ERROR)
			gr_error(w->diags, NULL, 0, "a formula that sums the ledger "
			         "over its %zu sheets would be %zu characters long, "
			         "more than the %d a spreadsheet allows",
			         w->ledger_sheets, xw_utf16_units(w->f.s),
			         XW_FORMULA_MAX);
		w->error = LXW_ERROR_PARAMETER_VALIDATION;
		return false;
	}
	return true;
}

void xw_formula_cents(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                      lxw_col_t col, const mpz_t cents, lxw_format *fmt)
{
	xw_formula_num(w, ws, row, col, xw_cents(cents), fmt);
}

void xw_formula_num(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                    lxw_col_t col, double value, lxw_format *fmt)
{
	if (formula_ready(w))
		xw_check(w, worksheet_write_formula_num(ws, row, col, w->f.s, fmt,
		                                        finite_or_zero(value)));
}

void xw_formula_str(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                    lxw_col_t col, const char *value, lxw_format *fmt)
{
	if (formula_ready(w))
		xw_check(w, worksheet_write_formula_str(ws, row, col, w->f.s, fmt,
		                                        value));
}

/* ---- sums over the ledger ------------------------------------------------------ */

/* Last row (1-based, as in A1 references) of Ledger sheet `s`; an empty
 * ledger still has its blank row 2, so that ranges are never reversed. */
static size_t last_row(const struct xw *w, size_t s)
{
	size_t count = w->r->ledger->count;
	size_t first = s * w->ledger_rows;
	size_t rows = count > first ? count - first : 0;
	if (rows > w->ledger_rows)
		rows = w->ledger_rows;
	return 1 + (rows ? rows : 1);
}

static void range(struct xw_buf *b, const struct xw *w, size_t s,
                  enum xw_ledger_col col)
{
	char c[8];
	xw_col(c, (lxw_col_t)col);
	xw_buf_addf(b, "%s$%s$2:$%s$%zu", w->ledger_ref[s], c, c, last_row(w, s));
}

static void sumifs(struct xw *w, struct xw_buf *b, size_t s,
                   const struct xw_crit *crit, size_t ncrit, bool counted)
{
	xw_buf_add(b, "SUMIFS(");
	range(b, w, s, LC_CONVERTED);
	for (size_t i = 0; i < ncrit; i++) {
		xw_buf_add(b, ",");
		range(b, w, s, crit[i].col);
		xw_buf_add(b, ",");
		switch (crit[i].kind) {
		case XW_CRIT_TEXT:
			/* The caller checked that the criterion fits (crit.exact
			 * is false); "=" alone matches blank cells. */
			if (!xw_add_criterion(b, crit[i].text))
				b->oom = true;
			break;
		case XW_CRIT_FROM:
			xw_buf_addf(b, "\">=\"&%s", crit[i].cell);
			break;
		case XW_CRIT_TO:
			xw_buf_addf(b, "\"<=\"&%s", crit[i].cell);
			break;
		}
	}
	xw_buf_add(b, ",");
	range(b, w, s, LC_COUNTED);
	xw_buf_add(b, counted ? ",\"yes\")" : ",\"no\")");
}

/* The same sum where a label cannot be a SUMIFS criterion: EXACT() against
 * the cell that holds it, which is also case-sensitive. */
static void sumproduct(struct xw *w, struct xw_buf *b, size_t s,
                       const struct xw_crit *crit, size_t ncrit, bool counted)
{
	xw_buf_add(b, "SUMPRODUCT(");
	for (size_t i = 0; i < ncrit; i++) {
		switch (crit[i].kind) {
		case XW_CRIT_TEXT:
			xw_buf_add(b, "--EXACT(");
			range(b, w, s, crit[i].col);
			if (*crit[i].text)
				xw_buf_addf(b, ",%s),", crit[i].cell);
			else
				xw_buf_add(b, ",\"\"),");
			break;
		case XW_CRIT_FROM:
			xw_buf_add(b, "--(");
			range(b, w, s, crit[i].col);
			xw_buf_addf(b, ">=%s),", crit[i].cell);
			break;
		case XW_CRIT_TO:
			xw_buf_add(b, "--(");
			range(b, w, s, crit[i].col);
			xw_buf_addf(b, "<=%s),", crit[i].cell);
			break;
		}
	}
	xw_buf_add(b, "--(");
	range(b, w, s, LC_COUNTED);
	xw_buf_add(b, counted ? "=\"yes\")," : "=\"no\"),");
	range(b, w, s, LC_CONVERTED);
	xw_buf_add(b, ")");
}

void xw_ledger_sum(struct xw *w, struct xw_buf *b, const struct xw_crit *crit,
                   size_t ncrit, bool counted)
{
	bool exact = false;
	for (size_t i = 0; i < ncrit; i++)
		exact |= crit[i].kind == XW_CRIT_TEXT && crit[i].exact;
	for (size_t s = 0; s < w->ledger_sheets; s++) {
		if (s > 0)
			xw_buf_add(b, "+");
		if (exact)
			sumproduct(w, b, s, crit, ncrit, counted);
		else
			sumifs(w, b, s, crit, ncrit, counted);
	}
}

const char *xw_ledger_cell(const struct xw *w, size_t i, unsigned *row)
{
	*row = (unsigned)(i % w->ledger_rows) + 2u;
	return w->ledger_ref[i / w->ledger_rows];
}

/* ---- the FX sheet's rows -------------------------------------------------------- */

lxw_row_t xw_fx_row_of(const struct xw *w, size_t member, size_t rate)
{
	size_t lo = 0, hi = w->fx_row_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct xw_fx_row *k = &w->fx_rows[mid];
		if (k->member < member || (k->member == member && k->rate < rate))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < w->fx_row_count && w->fx_rows[lo].member == member &&
	       w->fx_rows[lo].rate == rate ? w->fx_rows[lo].row : 0;
}
