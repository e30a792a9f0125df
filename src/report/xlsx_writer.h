/*
 * xlsx_writer.h (private): the pieces of the workbook writer
 * (report_xlsx.c and src/xlsx_*.c). See docs/workbook.md for the result.
 *
 * The writer lays out struct gr_recon; it computes no business figure.
 * Every number reaches a cell through xw_cents()/xw_decimal(), the one
 * place where an exact decimal becomes a double. Every text reaches a cell
 * through xw_text(), which makes it safe for XML and for Excel's limits.
 *
 * All sheets are written in constant_memory mode: rows strictly in order,
 * top to bottom, within each sheet. Sheets refer to each other by the row
 * positions the earlier writers record in struct xw, so the sheets are
 * filled in an order where every reference is known when it is written
 * (see gr_report_xlsx()).
 */
#ifndef GRANTREC_XLSX_WRITER_H
#define GRANTREC_XLSX_WRITER_H

#include <gmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <xlsxwriter.h>

#include "grantrec/report.h"

/* ---- text: XML-safe, within Excel's limits --------------------------------- */

/* Excel's limits, in characters as Excel counts them (UTF-16 code units). */
#define XW_CELL_UNITS 32767     /* text in one cell */
#define XW_LITERAL_UNITS 255    /* a string constant in a formula, a criterion */

struct xw_clean {
	char *text;        /* the safe text (gr_malloc'd), as a reader should see it */
	size_t replaced;   /* characters not allowed in XML, replaced */
	size_t units;      /* length of the text before any cut, in UTF-16 units */
	bool cut;          /* longer than the limit: cut, ending in U+2026 */
	bool x_escape;     /* holds "_xHHHH_", which OOXML would decode: the cell
	                      writer protects it as "_x005F_xHHHH_" */
};

/*
 * Makes `text` safe for a cell: control characters other than tab and line
 * feed become their visible Control Pictures (U+2400 + c), so that distinct
 * texts stay distinct; CR LF and a lone CR become LF; bytes that are not
 * UTF-8 and the non-characters U+FFFE/U+FFFF become U+FFFD; text longer
 * than `max_units` is cut. False when out of memory.
 */
bool xw_clean_text(struct xw_clean *out, const char *text, size_t max_units);
void xw_clean_release(struct xw_clean *clean);

/* The text as stored in the XML: "_x" sequences protected (see above).
 * Returns `clean->text` itself when nothing needs protecting. */
char *xw_cell_text(const struct xw_clean *clean);

/* A comparison key that folds case the way spreadsheet criteria do (ASCII,
 * Latin-1, Latin Extended-A, Greek and Cyrillic letters). Two labels with
 * the same key cannot be told apart by SUMIFS. NULL when out of memory. */
char *xw_fold_key(const char *clean);

/* UTF-16 length of UTF-8 text. */
size_t xw_utf16_units(const char *text);

/* ---- a growable string ---------------------------------------------------- */

struct xw_buf {
	char *s;
	size_t len, cap;
	bool oom;
};

void xw_buf_reset(struct xw_buf *b);
void xw_buf_add(struct xw_buf *b, const char *s);
void xw_buf_addf(struct xw_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void xw_buf_release(struct xw_buf *b);

/*
 * Appends a SUMIFS criterion that matches exactly `clean` (as a formula
 * string constant: "=" then the text with * ? ~ escaped by ~ and quotes
 * doubled). False, with nothing appended, when the criterion would exceed
 * Excel's 255 characters or the text holds an "_x" escape: the caller then
 * compares with EXACT() against a cell instead.
 */
bool xw_add_criterion(struct xw_buf *b, const char *clean);

/* ---- the writer's state ------------------------------------------------------ */

/* The Ledger sheet's columns. */
enum xw_ledger_col {
	LC_MEMBER, LC_FILE, LC_LINE, LC_VOUCHER, LC_DATE, LC_COUNTRY,
	LC_BUDGET_LINE, LC_DESCRIPTION, LC_AMOUNT, LC_CURRENCY, LC_RATE,
	LC_CONVERTED, LC_COUNTED, LC_NOTE, LC_COUNT
};

/* The FX sheet's columns (the Ledger refers to the rate and the sums). */
enum fx_col {
	FC_MEMBER, FC_CURRENCY, FC_METHOD, FC_DATE, FC_RATE, FC_FILE, FC_LINE,
	FC_EUR, FC_LOCAL, FC_TRANSFERS, FC_COUNT
};

/* The Changes sheet's columns (the Summary counts and sums them): the
 * lines, one row per side of a change, and the quarters restated. */
enum xw_changes_col {
	XW_CH_KIND, XW_CH_MEMBER, XW_CH_VOUCHER, XW_CH_SIDE, XW_CH_DATE,
	XW_CH_BUDGET_LINE, XW_CH_AMOUNT, XW_CH_CURRENCY, XW_CH_RATE,
	XW_CH_CONVERTED, XW_CH_COUNTED, XW_CH_EFFECT, XW_CH_FILE, XW_CH_LINE,
	XW_CH_FIELDS, XW_CH_COUNT
};
enum xw_restated_col {
	XW_RS_QUARTER, XW_RS_MEMBER, XW_RS_FROM, XW_RS_TO, XW_RS_REPORTED,
	XW_RS_NOW, XW_RS_DIFFERENCE, XW_RS_COUNT
};

/* One criterion of a sum over the ledger. */
enum xw_crit_kind {
	XW_CRIT_TEXT,        /* column equals a label */
	XW_CRIT_FROM,        /* date column >= a date cell */
	XW_CRIT_TO,          /* date column <= a date cell */
};

struct xw_crit {
	enum xw_crit_kind kind;
	enum xw_ledger_col col;
	const char *text;    /* XW_CRIT_TEXT: the cleaned label ("" for blank) */
	bool exact;          /* XW_CRIT_TEXT: compare with EXACT(), not SUMIFS */
	const char *cell;    /* the cell holding the label or the date, e.g. "$B5" */
};

struct xw_note {             /* text the writer had to change */
	char *file;              /* NULL when not about an input line */
	long line;
	char *message;
};

struct xw_label {            /* a label used as a criterion */
	struct xw_clean clean;
	bool exact;              /* SUMIFS cannot match it: use EXACT() */
};

struct xw_fx_row {           /* one row of the FX sheet: a rate and a member */
	size_t rate;
	size_t member;
	lxw_row_t row;
};

struct xw {
	const struct gr_recon *r;
	const struct gr_changes *changes;  /* --previous, or NULL */
	const struct gr_rule_results *rules;  /* the donor's rules, or NULL */
	char *previous_name;         /* its grant.ini, seen from this grant's */
	const struct gr_inputs *inputs;
	const char *version;
	struct gr_diags *diags;
	lxw_workbook *wb;
	lxw_error error;             /* the first libxlsxwriter error */
	bool oom;
	bool input_failed;           /* a ledger file read again had changed */
	struct xw_buf f;             /* formula being built */
	struct xw_buf f2;

	/* formats */
	lxw_format *title, *h2, *note, *note_wrap, *text_wrap, *header, *header_num, *bold, *wrap;
	lxw_format *money, *money_sub, *money_total, *pct, *pct_sub, *pct_total;
	lxw_format *text_sub, *text_total, *date, *date_left, *month, *integer, *rate;
	lxw_format *rate_total, *mono, *check, *cf_over, *cf_missing, *cf_ok;
	lxw_format *cf_bad, *amount_scale[13];
	lxw_format *count;           /* a number of days or lines, as figures */
	lxw_format *indent;          /* text after a column of figures */

	/* --quarter: the quarter's figures stand beside the cumulative ones,
	 * summed between the dates named QuarterFrom and QuarterTo. */
	bool has_quarter;
	char quarter_head[96];       /* "Q2, 2022-04-01 to 2022-06-30" */
	char cumulative_head[48];    /* "cumulative to 2022-06-30" */

	/* sheets, in tab order */
	lxw_worksheet *summary, *bva, *funds, *country_ws, *quarters;
	lxw_worksheet *changes_ws;   /* only with --previous */
	lxw_worksheet *fx;
	lxw_worksheet **ledger;
	size_t ledger_sheets;
	size_t ledger_rows;          /* data rows per Ledger sheet */
	char **ledger_ref;           /* "'Ledger (2)'!" */
	lxw_worksheet *findings, *charts;

	/* labels, cleaned once */
	struct xw_label *members;    /* [member_count]: the member ids */
	struct xw_label *lines;      /* [line_count]: budget-line names */
	struct xw_label *countries;  /* [country_count] */

	/* positions recorded by the writers (0-based rows) */
	lxw_row_t *bva_sub_row;      /* [member_count] member subtotal rows */
	lxw_row_t bva_total_row;
	lxw_row_t funds_first_member, funds_total_row;
	lxw_row_t funds_tranche_first, funds_tranche_total; /* total: after */
	lxw_row_t funds_received_row, funds_outstanding_row;
	lxw_row_t funds_disb_total, funds_claimable_row;
	lxw_row_t funds_q_received_row, funds_q_disb_row;  /* --quarter */
	lxw_col_t funds_position_col;
	lxw_row_t countries_first, countries_total;
	lxw_row_t quarters_total;
	struct xw_fx_row *fx_rows;   /* sorted by (member, rate) for lookup */
	size_t fx_row_count;
	lxw_row_t months_first;
	lxw_row_t fx_bridge_first, fx_bridge_total;  /* with budget_rates */
	lxw_row_t forecast_total_row;  /* on the Summary; 0 when not shown */
	lxw_row_t changes_lines_first, changes_lines_end;       /* --previous */
	lxw_row_t changes_restated_first, changes_restated_end;
	lxw_col_t bva_source_col;    /* blank on Budget vs Actual's subtotals */
	lxw_row_t funds_own_total_row; /* Funds: the own contribution's total */

	/* notes for the Findings sheet */
	struct xw_note *notes;
	size_t note_count, note_cap, notes_dropped;
};

/* The Summary's fixed rows (0-based), which other sheets refer to by the
 * defined names below. */
enum {
	SR_START = 7, SR_END = 8, SR_AMOUNT = 10, SR_THRESHOLD = 12, SR_AS_OF = 14,
	SR_QUARTER = 15, SR_QUARTER_FROM = 16, SR_QUARTER_TO = 17, /* --quarter */
};

/* Notes kept for the Findings sheet; the Ledger's Note column has all. */
#define XW_NOTES_KEEP 1000
#define XW_NOTES_ROWS (XW_NOTES_KEEP + 2)

/* ---- cells ------------------------------------------------------------------ */

/* Records a libxlsxwriter error (the first one is reported). */
void xw_check(struct xw *w, lxw_error err);

/* The exact decimal as a double: strtod of its decimal text, the closest
 * double; never NaN, Inf or -0. */
double xw_cents(const mpz_t cents);
double xw_decimal(const struct gr_dec *dec);
double xw_rational(const mpq_t value, int places);

/* Excel's serial number of a date (1900 date system). */
double xw_serial(gr_date date);

/* Writes `text` made safe; a change is recorded as a note about
 * (file, line) with `what` naming the field. */
void xw_text(struct xw *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
             const char *text, lxw_format *fmt, const char *file, long line,
             const char *what);
/* The same for a label already cleaned. */
void xw_label_text(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                   lxw_col_t col, const struct xw_clean *clean,
                   lxw_format *fmt);
/* Makes the row tall enough for `text` wrapped at `width` characters
 * (spreadsheets do not grow a merged or a loaded row by themselves). */
void xw_fit_row(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                const char *text, double width);
/* Explanatory text across columns first..last (merged, wrapped), so that
 * it stays within the table's width on screen and on paper; `width` is
 * the columns' total width in characters. Our own texts only. */
void xw_note_block(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                   lxw_col_t first, lxw_col_t last, double width,
                   const char *text, lxw_format *fmt);
void xw_money(struct xw *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
              const mpz_t cents, lxw_format *fmt);
void xw_date(struct xw *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
             gr_date date, lxw_format *fmt);
void xw_number(struct xw *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
               double value, lxw_format *fmt);
/* A formula (w->f, without '=') with its exact cached value. */
void xw_formula_cents(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                      lxw_col_t col, const mpz_t cents, lxw_format *fmt);
void xw_formula_num(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                    lxw_col_t col, double value, lxw_format *fmt);
void xw_formula_str(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                    lxw_col_t col, const char *value, lxw_format *fmt);

/* "A", "AB": a column's letters. */
const char *xw_col(char buf[8], lxw_col_t col);

/* Appends the sum over every Ledger sheet of the converted amounts of the
 * counted lines (or, with counted = false, of the lines not counted) that
 * meet `crit`. */
void xw_ledger_sum(struct xw *w, struct xw_buf *b, const struct xw_crit *crit,
                   size_t ncrit, bool counted);

/* Records a note for the Findings sheet. */
void xw_add_note(struct xw *w, const char *file, long line, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));

/* The input's name as written in grant.ini (relative to its folder, as
 * sha256sum is run), for a path as the core opened it. */
const char *xw_input_name(const struct xw *w, const char *path);

/* The grant currency, cleaned for headers such as "Budget (EUR)". */
const char *xw_currency(const struct xw *w);

/* The previous report's grant.ini relative to this grant's folder, so
 * that no working folder reaches the file. NULL when out of memory. */
char *xw_previous_name(const struct xw *w);

/* ---- sheets (filled in this order by gr_report_xlsx) ------------------------- */

void xw_sheet_budget(struct xw *w);
void xw_sheet_funds(struct xw *w);
void xw_sheet_countries(struct xw *w);
void xw_sheet_quarters(struct xw *w);
void xw_sheet_changes(struct xw *w);
void xw_sheet_fx(struct xw *w);
void xw_sheet_ledger(struct xw *w);
void xw_sheet_summary(struct xw *w);
void xw_sheet_charts(struct xw *w);
void xw_sheet_findings(struct xw *w);

/* The FX sheet row of the rate a member's line used. */
lxw_row_t xw_fx_row_of(const struct xw *w, size_t member, size_t rate);

/* A rate as the FX sheet shows it (the double of its exact value). */
double xw_rate_double(const struct gr_rate *rate);

/* The Ledger sheet and row (1-based, as in A1 references) of ledger line
 * `i`, e.g. "'Ledger (2)'!" and 17. */
const char *xw_ledger_cell(const struct xw *w, size_t i, unsigned *row);

/* The Quarters sheet's row (0-based) of quarter `q` and column of member
 * `m` (m == member_count: the Total column). */
lxw_row_t xw_quarter_row(size_t q);
lxw_col_t xw_quarter_col(const struct xw *w, size_t m);

#endif
