/* sheet_common.c: the header rows, titles, print setup and Ledger
 * criteria that every sheet writer uses (sheet_common.h). */
#include "report/sheet_common.h"

void xw_header_row(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                   const char *const *names, size_t n, const bool *numeric)
{
	for (size_t c = 0; c < n; c++)
		xw_text(w, ws, row, (lxw_col_t)c, names[c],
		        numeric && numeric[c] ? w->header_num : w->header, NULL, 0,
		        "header");
}

void xw_title(struct xw *w, lxw_worksheet *ws, const char *text,
              const char *note, lxw_col_t last, double width)
{
	xw_text(w, ws, 0, 0, text, w->title, NULL, 0, "title");
	if (note)
		xw_note_block(w, ws, 1, 0, last, width, note, w->note_wrap);
}

void xw_print_setup(lxw_worksheet *ws, lxw_row_t header)
{
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);           /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);     /* one page wide */
	worksheet_repeat_rows(ws, header, header);
	worksheet_set_footer(ws, "&L&A&R&P / &N");
}

void xw_crit_text(struct xw_crit *c, enum xw_ledger_col col,
                  const struct xw_label *label, const char *cell)
{
	*c = (struct xw_crit){
		.kind = XW_CRIT_TEXT, .col = col, .text = label->clean.text,
		.exact = label->exact, .cell = cell,
	};
}

void xw_crit_quarter(struct xw_crit c[2])
{
	c[0] = (struct xw_crit){ .kind = XW_CRIT_FROM, .col = LC_DATE,
	                         .cell = "QuarterFrom" };
	c[1] = (struct xw_crit){ .kind = XW_CRIT_TO, .col = LC_DATE,
	                         .cell = "QuarterTo" };
}
