/*
 * sheet_common.h: what the sheet writers (sheet_*.c) share, private to
 * report/.
 *
 * Every figure is a formula whose cached value is the exact figure from
 * struct gr_recon. Sums of the ledger are SUMIFS over the Ledger sheet(s)
 * (xw_ledger_sum); subtotals are SUBTOTAL(9, ...) so that a grand total
 * over lines and subtotals counts each line once.
 *
 * Rows are written strictly top to bottom (constant_memory mode): each
 * writer first works out where its tables go, then writes them in order.
 */
#ifndef GRANTREC_SHEET_COMMON_H
#define GRANTREC_SHEET_COMMON_H

#include "report/xlsx_writer.h"

/* Excel's 1-based row number of a 0-based row. */
#define XR(row) ((unsigned)(row) + 1u)

/* A table's header row: names[0..n-1], numeric[c] right-aligned. */
void xw_header_row(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                   const char *const *names, size_t n, const bool *numeric);

/* The sheet's title, and what it shows across the table's width
 * (columns 0..last, `width` characters). */
void xw_title(struct xw *w, lxw_worksheet *ws, const char *text,
              const char *note, lxw_col_t last, double width);

/* A4 landscape, one page wide, the header row repeated on each page. */
void xw_print_setup(lxw_worksheet *ws, lxw_row_t header);

/* A criterion on a Ledger text column: the label's text, or `cell`. */
void xw_crit_text(struct xw_crit *c, enum xw_ledger_col col,
                  const struct xw_label *label, const char *cell);

/* The criteria of a sum over the quarter asked for: its dates, by name. */
void xw_crit_quarter(struct xw_crit c[2]);

/* The Summary's Rules section from `row` (nothing without [rules]);
 * returns the row after it (sheet_summary_rules.c). */
lxw_row_t xw_summary_rules(struct xw *w, lxw_row_t row);

#endif
