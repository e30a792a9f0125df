/*
 * sheet_summary.c: the Summary sheet: the grant, the key figures, the
 * exchange-rate bridge, the cross-checks, burn rate and forecast, the
 * changes since the previous report, the rounding statement, members,
 * inputs and this workbook.
 *
 * See sheet_common.h for what every sheet writer shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/changes.h"
#include "base/util.h"
#include "report/xlsx_writer.h"
#include "report/sheet_common.h"

/* ---- Summary ------------------------------------------------------------------------- */

/* The Summary's columns: label (A), value (B), then six narrow columns
 * C:H for the tables' figures, across which notes run; the forecast's
 * table reaches I. */
#define SUMMARY_NOTE_WIDTH 96
#define SUMMARY_WIDTH 176
#define SUMMARY_LAST 7

static void summary_note(struct xw *w, lxw_row_t row, const char *note)
{
	xw_note_block(w, w->summary, row, 2, SUMMARY_LAST, SUMMARY_NOTE_WIDTH,
	              note, w->note_wrap);
}

/* A note from column `first` to the last of the notes. */
static void summary_note_from(struct xw *w, lxw_row_t row, lxw_col_t first,
                              const char *note)
{
	xw_note_block(w, w->summary, row, first, SUMMARY_LAST,
	              SUMMARY_NOTE_WIDTH - 16.0 * (double)(first - 2), note,
	              w->note_wrap);
}

static void kv(struct xw *w, lxw_row_t row, const char *label,
               const char *value, const char *note)
{
	lxw_worksheet *ws = w->summary;
	xw_text(w, ws, row, 0, label, w->bold, NULL, 0, "label");
	xw_text(w, ws, row, 1, value ? value : "", NULL, NULL, 0, "value");
	if (note)
		summary_note(w, row, note);
}

static void summary_grant(struct xw *w)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->summary;
	char text[256];
	xw_text(w, ws, 3, 0, "Grant", w->h2, NULL, 0, "title");
	kv(w, 4, "Name", g->name, NULL);
	kv(w, 5, "Donor", g->donor, NULL);
	kv(w, 6, "Reference", g->reference, NULL);
	xw_text(w, ws, SR_START, 0, "Period start", w->bold, NULL, 0, "label");
	xw_date(w, ws, SR_START, 1, g->start, w->date_left);
	xw_text(w, ws, SR_END, 0, "Period end", w->bold, NULL, 0, "label");
	xw_date(w, ws, SR_END, 1, g->end, w->date_left);
	summary_note(w, SR_END, "Ledger lines dated outside the period are "
	             "listed on the Ledger but not counted.");
	kv(w, 9, "Currency", g->currency, "All figures are in this currency "
	   "unless a column says otherwise.");
	xw_text(w, ws, SR_AMOUNT, 0, "Grant amount (ceiling)", w->bold, NULL, 0,
	        "label");
	xw_money(w, ws, SR_AMOUNT, 1, g->amount, w->money);
	kv(w, 11, "Rounding rule", gr_rounding_name(g->rounding),
	   g->rounding == GR_ROUND_HALF_UP
	   ? "Each converted line rounded to the cent once, half away from "
	     "zero (see below)."
	   : "Each converted line rounded to the cent once, half to even (see "
	     "below).");
	xw_text(w, ws, SR_THRESHOLD, 0, "Variance threshold (%)", w->bold, NULL,
	        0, "label");
	xw_number(w, ws, SR_THRESHOLD, 1, xw_decimal(&g->threshold), NULL);
	summary_note(w, SR_THRESHOLD, "A budget line whose variance is above "
	             "this percentage of its budget needs a comment.");
	kv(w, 13, "Quarters", g->quarters == GR_QUARTERS_GRANT ? "grant"
	   : "calendar", g->quarters == GR_QUARTERS_GRANT
	   ? "Three-month periods counted from the start of the grant."
	   : "Calendar quarters, cut to the grant period.");
	xw_text(w, ws, SR_AS_OF, 0, "As of", w->bold, NULL, 0, "label");
	xw_date(w, ws, SR_AS_OF, 1, r->as_of, w->date_left);
	if (r->as_of_given)
		snprintf(text, sizeof(text), "%s: the books as they stood on this "
		         "date. %zu ledger line%s dated after it %s listed on the "
		         "Ledger, left out.", r->quarter >= 0
		         ? "The last day of the quarter asked for (--quarter)"
		         : "Given with --as-of", r->lines_after_as_of,
		         r->lines_after_as_of == 1 ? "" : "s",
		         r->lines_after_as_of == 1 ? "is" : "are");
	else
		snprintf(text, sizeof(text), "The latest date in the inputs: tranche "
		         "status and days overdue are as of this date.");
	summary_note(w, SR_AS_OF, text);
	if (!w->has_quarter)
		return;
	const struct gr_period_result *q = &r->quarters[r->quarter];
	kv(w, SR_QUARTER, "Quarter (--quarter)", q->label, "Its figures stand "
	   "beside the cumulative ones on Budget vs Actual, Funds and Countries: "
	   "sums of the counted Ledger lines dated from QuarterFrom to QuarterTo.");
	xw_text(w, ws, SR_QUARTER_FROM, 0, "Quarter from", w->bold, NULL, 0,
	        "label");
	xw_date(w, ws, SR_QUARTER_FROM, 1, q->from, w->date_left);
	summary_note(w, SR_QUARTER_FROM, "Named QuarterFrom in the formulas.");
	xw_text(w, ws, SR_QUARTER_TO, 0, "Quarter to", w->bold, NULL, 0, "label");
	xw_date(w, ws, SR_QUARTER_TO, 1, q->to, w->date_left);
	summary_note(w, SR_QUARTER_TO, "Named QuarterTo in the formulas.");
}

/* A link in column C to a cell of another sheet (its row, 0-based). */
static void link_at(struct xw *w, lxw_row_t row, const char *sheet,
                    lxw_row_t at)
{
	char url[96];
	snprintf(url, sizeof(url), "internal:'%s'!A%u", sheet, XR(at));
	xw_check(w, worksheet_write_url_opt(w->summary, row, 2, url, NULL, sheet,
	                                    NULL));
}

static void link_cell(struct xw *w, lxw_row_t row, const char *sheet)
{
	link_at(w, row, sheet, 0);
}

/* A key figure: label, formula (w->f) with its exact value, and a link to
 * the sheet that details it or a note. */
static void figure(struct xw *w, lxw_row_t row, const char *label,
                   const mpz_t cents, const char *sheet)
{
	xw_text(w, w->summary, row, 0, label, w->bold, NULL, 0, "label");
	xw_formula_cents(w, w->summary, row, 1, cents, w->money);
	if (sheet)
		link_cell(w, row, sheet);
}

/* Rows of the key figures that the cross-checks refer to. */
struct figure_rows {
	lxw_row_t budget, actual, variance, received;
	lxw_row_t bridge_budget, rate_effect, spending_effect;
	bool fx_effect;
};

static lxw_row_t summary_figures(struct xw *w, lxw_row_t row,
                                 struct figure_rows *fr)
{
	const struct gr_recon *r = w->r;
	const struct gr_totals *t = &r->totals;
	lxw_worksheet *ws = w->summary;
	char text[160], col[8];
	snprintf(text, sizeof(text), "Key figures (%s)", xw_currency(w));
	xw_text(w, ws, row++, 0, text, w->h2, NULL, 0, "title");
	static const char *const head[] = {"Figure", "Amount", "Details"};
	static const bool num[] = {false, true, false};
	xw_header_row(w, ws, row++, head, 3, num);
	unsigned bt = XR(w->bva_total_row);

	fr->budget = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "'Budget vs Actual'!$C$%u", bt);
	figure(w, row++, "Budget", t->budget, "Budget vs Actual");
	fr->actual = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "'Budget vs Actual'!$D$%u", bt);
	figure(w, row++, "Actual", t->actual, "Budget vs Actual");
	fr->variance = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "B%u-B%u", XR(fr->actual), XR(fr->budget));
	figure(w, row++, "Variance (actual - budget)", t->variance,
	       "Budget vs Actual");
	xw_text(w, ws, row, 0, "Variance %", w->bold, NULL, 0, "label");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(B%u=0,\"\",ROUND(B%u/B%u*100,2))", XR(fr->budget),
	            XR(fr->variance), XR(fr->budget));
	if (t->has_variance_pct)
		xw_formula_num(w, ws, row, 1, strtod(t->variance_pct, NULL), w->pct);
	else
		xw_formula_str(w, ws, row, 1, "", w->pct);
	link_cell(w, row++, "Budget vs Actual");
	if (r->quarter >= 0 && (size_t)r->quarter < r->quarter_count) {
		/* --quarter: that quarter's actual, beside the cumulative. */
		snprintf(text, sizeof(text), "Actual in quarter %s",
		         r->quarters[r->quarter].label);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "Quarters!$%s$%u",
		            xw_col(col, (lxw_col_t)(3 + r->grant->member_count)),
		            XR(4 + (lxw_row_t)r->quarter));
		figure(w, row++, text, t->quarter_actual, "Quarters");
		snprintf(text, sizeof(text), "Received from the donor in %s",
		         r->quarters[r->quarter].label);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "Funds!$D$%u", XR(w->funds_q_received_row));
		figure(w, row++, text, t->quarter_received, "Funds");
		snprintf(text, sizeof(text), "Passed on to members in %s",
		         r->quarters[r->quarter].label);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "Funds!$D$%u", XR(w->funds_q_disb_row));
		figure(w, row++, text, t->quarter_disbursed, "Funds");
	}
	fr->received = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "Funds!$D$%u", XR(w->funds_received_row));
	figure(w, row++, "Received from the donor", t->received, "Funds");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "Funds!$D$%u", XR(w->funds_outstanding_row));
	figure(w, row++, "Outstanding tranches", t->outstanding, "Funds");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "Funds!$D$%u", XR(w->funds_disb_total));
	figure(w, row++, "Passed on to members", t->disbursed, "Funds");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "Funds!$D$%u", XR(w->funds_claimable_row));
	figure(w, row++, "Still to come from the donor", t->claimable, "Funds");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "MAX(0,B%u-GrantAmount)", XR(fr->actual));
	figure(w, row++, "Over the ceiling", t->over_ceiling, "Funds");
	xw_buf_reset(&w->f);
	xw_ledger_sum(w, &w->f, NULL, 0, false);
	figure(w, row++, "Outside the period (listed, not counted)",
	       t->outside_period, "Ledger");
	xw_text(w, ws, row, 0, "Rounding difference", w->bold, NULL, 0, "label");
	xw_number(w, ws, row, 1, xw_rational(t->rounding_difference, 6), w->rate);
	summary_note(w, row++, "Actual minus the exact unrounded sum, by "
	             "grantrec with exact fractions (a value).");
	return row;
}

/* "OK" when the cell `a` equals the cell `b` to the cent, else the
 * difference; `ok` and `diff` are the exact outcome. */
static void check_cell(struct xw *w, lxw_row_t row, lxw_col_t col,
                       const char *a, const char *b, const mpz_t diff)
{
	lxw_worksheet *ws = w->summary;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(ROUND(%s-%s,2)=0,\"OK\",ROUND(%s-%s,2))", a, b, a,
	            b);
	if (mpz_sgn(diff) == 0)
		xw_formula_str(w, ws, row, col, "OK", w->check);
	else
		xw_formula_cents(w, ws, row, col, diff, w->check);
}

/* Green for OK, red for anything else, over column `col` of rows
 * first..last. */
static void ok_colours(struct xw *w, lxw_row_t first, lxw_row_t last,
                       lxw_col_t col)
{
	static char ok_text[] = "\"OK\"";
	lxw_conditional_format ok = {
		.type = LXW_CONDITIONAL_TYPE_CELL,
		.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
		.value_string = ok_text, .format = w->cf_ok,
	};
	lxw_conditional_format bad = {
		.type = LXW_CONDITIONAL_TYPE_CELL,
		.criteria = LXW_CONDITIONAL_CRITERIA_NOT_EQUAL_TO,
		.value_string = ok_text, .format = w->cf_bad,
	};
	xw_check(w, worksheet_conditional_format_range(w->summary, first, col,
	                                               last, col, &ok));
	xw_check(w, worksheet_conditional_format_range(w->summary, first, col,
	                                               last, col, &bad));
}

/* The grant's exchange-rate bridge (budget_rates): budget + spending
 * effect + rate effect = actual, the last checked against Actual above. */
static lxw_row_t summary_bridge(struct xw *w, lxw_row_t row,
                                struct figure_rows *fr)
{
	const struct gr_recon *r = w->r;
	const struct gr_totals *t = &r->totals;
	const struct gr_fx_effect *fe = &t->fx_effect;
	lxw_worksheet *ws = w->summary;
	char text[160], a[16], b[16];
	fr->fx_effect = true;
	snprintf(text, sizeof(text), "Why actual differs from budget (%s)",
	         xw_currency(w));
	xw_text(w, ws, row++, 0, text, w->h2, NULL, 0, "title");
	lxw_row_t at = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "FX!$C$%u", XR(w->fx_bridge_total));
	figure(w, row, "Actual at the planning rates", fe->at_budget_rates, NULL);
	link_at(w, row++, "FX", w->fx_bridge_first - 3);
	fr->bridge_budget = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "B%u", XR(fr->budget));
	figure(w, row, "Budget", t->budget, NULL);
	summary_note(w, row++, "as above");
	fr->spending_effect = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "B%u-B%u", XR(at), XR(fr->bridge_budget));
	figure(w, row, "+ Spending effect", fe->spending_effect, NULL);
	summary_note(w, row++, "actual at the planning rates - budget: spending "
	             "that differs from the plan");
	fr->rate_effect = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "B%u-B%u", XR(fr->actual), XR(at));
	figure(w, row, "+ Rate effect", fe->rate_effect, NULL);
	summary_note(w, row++, "actual - actual at the planning rates: the rates "
	             "of the day against the plan");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "B%u+B%u+B%u", XR(fr->bridge_budget),
	            XR(fr->spending_effect), XR(fr->rate_effect));
	mpz_t sum, diff;
	mpz_inits(sum, diff, NULL);
	mpz_add(sum, t->budget, fe->spending_effect);
	mpz_add(sum, sum, fe->rate_effect);
	mpz_sub(diff, sum, t->actual);
	xw_text(w, ws, row, 0, "= Actual", w->bold, NULL, 0, "label");
	xw_formula_cents(w, ws, row, 1, sum, w->money_total);
	snprintf(a, sizeof(a), "B%u", XR(row));
	snprintf(b, sizeof(b), "B%u", XR(fr->actual));
	check_cell(w, row, 2, a, b, diff);
	ok_colours(w, row, row, 2);
	summary_note_from(w, row++, 3, "against Actual above, to the cent");
	mpz_clears(sum, diff, NULL);
	return row;
}

static const struct gr_check *find_check(const struct gr_recon *r,
                                         const char *name)
{
	for (size_t i = 0; i < r->check_count; i++)
		if (strcmp(r->checks[i].name, name) == 0)
			return &r->checks[i];
	return NULL;
}

static lxw_row_t summary_checks(struct xw *w, lxw_row_t row,
                                const struct figure_rows *fr)
{
	const struct gr_recon *r = w->r;
	lxw_worksheet *ws = w->summary;
	size_t M = r->grant->member_count;
	xw_text(w, ws, row++, 0, "Cross-checks", w->h2, NULL, 0, "title");
	static const char *const head[] = {"Check", "Left", "Right", "Result"};
	static const bool num[] = {false, true, true, false};
	xw_header_row(w, ws, row++, head, 4, num);
	lxw_row_t lt = row;
	xw_text(w, ws, row, 0, "Ledger total (counted lines)", w->bold, NULL, 0,
	        "label");
	xw_buf_reset(&w->f);
	xw_ledger_sum(w, &w->f, NULL, 0, true);
	xw_formula_cents(w, ws, row, 1, r->totals.actual, w->money);
	link_cell(w, row, "Ledger");
	row++;
	unsigned LT = XR(lt);
	char col[8];
	lxw_row_t first = row;
	for (size_t i = 0; i < r->check_count; i++, row++) {
		const struct gr_check *c = &r->checks[i];
		unsigned R = XR(row);
		xw_text(w, ws, row, 0, c->name, NULL, NULL, 0, "check");
		char left[128] = "", right[128];
		snprintf(right, sizeof(right), "B%u", LT);
		if (c == find_check(r, "members = ledger")) {
			if (M)
				snprintf(left, sizeof(left), "SUM(Funds!$E$%u:$E$%u)",
				         XR(w->funds_first_member), XR(w->funds_total_row) - 1);
			else
				snprintf(left, sizeof(left), "0");
		} else if (c == find_check(r, "budget lines = ledger")) {
			snprintf(left, sizeof(left), "'Budget vs Actual'!$D$%u",
			         XR(w->bva_total_row));
		} else if (c == find_check(r, "countries = ledger")) {
			snprintf(left, sizeof(left), "Countries!$%s$%u",
			         xw_col(col, (lxw_col_t)(1 + M)), XR(w->countries_total));
		} else if (c == find_check(r, "quarters = ledger")) {
			snprintf(left, sizeof(left), "Quarters!$%s$%u",
			         xw_col(col, (lxw_col_t)(3 + M)), XR(w->quarters_total));
		} else if (c == find_check(r, "funds positions = received - actual")) {
			snprintf(left, sizeof(left), "Funds!$%s$%u",
			         xw_col(col, w->funds_position_col),
			         XR(w->funds_total_row));
			snprintf(right, sizeof(right), "B%u-B%u", XR(fr->received),
			         XR(fr->actual));  /* received - actual */
		} else if (fr->fx_effect && c == find_check(r, "budget + spending "
		                                            "effect + rate effect = "
		                                            "actual")) {
			snprintf(left, sizeof(left), "B%u+B%u+B%u", XR(fr->budget),
			         XR(fr->spending_effect), XR(fr->rate_effect));
			snprintf(right, sizeof(right), "B%u", XR(fr->actual));
		}
		if (left[0]) {
			xw_buf_reset(&w->f);
			xw_buf_add(&w->f, left);
			xw_formula_cents(w, ws, row, 1, c->left, w->money);
			xw_buf_reset(&w->f);
			xw_buf_add(&w->f, right);
			xw_formula_cents(w, ws, row, 2, c->right, w->money);
		} else {
			/* A check this writer does not know: the core's figures. */
			xw_money(w, ws, row, 1, c->left, w->money);
			xw_money(w, ws, row, 2, c->right, w->money);
		}
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "IF(ROUND(B%u-C%u,2)=0,\"OK\",ROUND(B%u-C%u,2))",
		            R, R, R, R);
		if (c->ok) {
			xw_formula_str(w, ws, row, 3, "OK", w->check);
		} else {
			mpz_t d;
			mpz_init(d);
			mpz_sub(d, c->left, c->right);
			xw_formula_cents(w, ws, row, 3, d, w->check);
			mpz_clear(d);
		}
	}
	if (row > first)
		ok_colours(w, first, row - 1, 3);
	xw_text(w, ws, row++, 0, "Each result is OK, or the difference left - "
	        "right.", w->note, NULL, 0, "note");
	return row;
}

/* ---- burn rate and forecast ----------------------------------------------------------- */

enum { FO_MEMBER, FO_BUDGET, FO_ACTUAL, FO_SPENT, FO_WINDOW, FO_BURN,
       FO_PROJECTED, FO_PCT, FO_OFF, FO_COUNT };

/* A day count or a date of the forecast: label, formula (w->f), value. */
static void forecast_param(struct xw *w, lxw_row_t row, const char *label,
                           double value, lxw_format *fmt, const char *note)
{
	xw_text(w, w->summary, row, 0, label, w->bold, NULL, 0, "label");
	xw_formula_num(w, w->summary, row, 1, value, fmt);
	if (note)
		summary_note(w, row, note);
}

/* Rows of the forecast's parameters, as A1 references ("$B$40"). */
struct forecast_refs {
	char days[16], elapsed[16], remaining[16], from[16], to[16];
	char window_days[16], full_days[16];
};

/* One row of the forecast: budget and actual from Funds (`funds` row),
 * the window's spending, and where its pace leads. */
static void forecast_row(struct xw *w, lxw_row_t row,
                         const struct forecast_refs *p, size_t m,
                         lxw_row_t first)
{
	const struct gr_recon *r = w->r;
	bool total = m == r->grant->member_count;
	const struct gr_forecast *f = total ? &r->totals.forecast
	                                    : &r->members[m].forecast;
	mpz_srcptr budget = total ? r->totals.budget : r->members[m].budget;
	mpz_srcptr actual = total ? r->totals.actual : r->members[m].actual;
	lxw_row_t funds = total ? w->funds_total_row
	                        : w->funds_first_member + (lxw_row_t)m;
	lxw_worksheet *ws = w->summary;
	unsigned R = XR(row);
	lxw_format *money = total ? w->money_total : w->money;
	lxw_format *pct = total ? w->pct_total : w->pct;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "Funds!$D$%u", XR(funds));
	xw_formula_cents(w, ws, row, FO_BUDGET, budget, money);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "Funds!$E$%u", XR(funds));
	xw_formula_cents(w, ws, row, FO_ACTUAL, actual, money);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(B%u=0,\"\",ROUND(C%u/B%u*100,2))", R, R, R);
	if (f->has_spent_pct)
		xw_formula_num(w, ws, row, FO_SPENT, strtod(f->spent_pct, NULL), pct);
	else
		xw_formula_str(w, ws, row, FO_SPENT, "", pct);
	xw_buf_reset(&w->f);
	if (total) {
		if (row > first)
			xw_buf_addf(&w->f, "SUM(E%u:E%u)", XR(first), R - 1);
		else
			xw_buf_add(&w->f, "0");
	} else {
		struct xw_crit crit[3];
		char mcell[16];
		snprintf(mcell, sizeof(mcell), "$A%u", R);
		xw_crit_text(&crit[0], LC_MEMBER, &w->members[m], mcell);
		crit[1] = (struct xw_crit){ .kind = XW_CRIT_FROM, .col = LC_DATE,
		                            .cell = p->from };
		crit[2] = (struct xw_crit){ .kind = XW_CRIT_TO, .col = LC_DATE,
		                            .cell = p->to };
		xw_ledger_sum(w, &w->f, crit, 3, true);
	}
	xw_formula_cents(w, ws, row, FO_WINDOW, f->window_actual, money);
	/* A window cut short by the start stands for the part of three months
	 * it covers. Both roundings are half-up, as ROUND's. */
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(%s>0,ROUND(E%u*%s/(3*%s),2),0)", p->window_days,
	            R, p->full_days, p->window_days);
	xw_formula_cents(w, ws, row, FO_BURN, f->burn_monthly, money);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "C%u+IF(AND(%s>0,%s>0),ROUND(E%u*%s/%s,2),0)", R,
	            p->window_days, p->remaining, R, p->remaining,
	            p->window_days);
	xw_formula_cents(w, ws, row, FO_PROJECTED, f->projected, money);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(B%u=0,\"\",ROUND((G%u-B%u)/B%u*100,2))", R, R, R,
	            R);
	if (f->has_projected_pct)
		xw_formula_num(w, ws, row, FO_PCT, strtod(f->projected_pct, NULL),
		               pct);
	else
		xw_formula_str(w, ws, row, FO_PCT, "", pct);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(AND(B%u<>0,ROUND(ABS(G%u-B%u)*100-Threshold*"
	            "ABS(B%u),6)>0),\"yes\",\"\")", R, R, R, R);
	xw_formula_str(w, ws, row, FO_OFF, f->off_budget ? "yes" : "", w->check);
}

/* The burn rate and forecast, for a report as of a date before the end
 * (as in the terminal summary): without a stated date the books may not
 * be complete to the last date seen, and at the end there is nothing
 * left to project. */
static lxw_row_t summary_forecast(struct xw *w, lxw_row_t row)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_forecast *tf = &r->totals.forecast;
	lxw_worksheet *ws = w->summary;
	char text[512], from[11], to[11];
	struct forecast_refs p;
	snprintf(text, sizeof(text), "Burn rate and forecast (%s)",
	         xw_currency(w));
	xw_text(w, ws, row++, 0, text, w->h2, NULL, 0, "title");
	snprintf(text, sizeof(text), "Spent is actual against the whole budget; "
	         "elapsed the days from the start to the as-of date against the "
	         "days of the period. The burn rate is the spending of the three "
	         "months to the as-of date (%s to %s, the window) per month; the "
	         "projection carries the window's daily pace over the days left "
	         "to the end date. Off budget: the projection differs from the "
	         "budget by more than the threshold.",
	         gr_date_iso(from, tf->window_from), gr_date_iso(to, tf->window_to));
	xw_note_block(w, ws, row++, 0, SUMMARY_LAST, SUMMARY_WIDTH, text,
	              w->note_wrap);

	gr_date as_of = r->as_of < g->end ? r->as_of : g->end;
	long period_days = (long)(g->end - g->start) + 1;
	long elapsed = (long)(as_of - g->start) + 1;
	if (elapsed < 0)
		elapsed = 0;
	snprintf(p.days, sizeof(p.days), "$B$%u", XR(row));
	xw_buf_reset(&w->f);
	xw_buf_add(&w->f, "GrantEnd-GrantStart+1");
	forecast_param(w, row++, "Days in the period", (double)period_days,
	               w->count, NULL);
	snprintf(p.elapsed, sizeof(p.elapsed), "$B$%u", XR(row));
	xw_buf_reset(&w->f);
	xw_buf_add(&w->f, "MAX(0,MIN(AsOf,GrantEnd)-GrantStart+1)");
	forecast_param(w, row++, "Days elapsed", (double)elapsed, w->count,
	               "from the start to the as-of date");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "ROUND(%s/%s*100,2)", p.elapsed, p.days);
	forecast_param(w, row++, "Period elapsed (%)",
	               strtod(tf->elapsed_pct, NULL), w->pct, NULL);
	snprintf(p.remaining, sizeof(p.remaining), "$B$%u", XR(row));
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "%s-%s", p.days, p.elapsed);
	forecast_param(w, row++, "Days remaining", (double)(period_days - elapsed),
	               w->count, "to the end date");
	snprintf(p.from, sizeof(p.from), "$B$%u", XR(row));
	snprintf(p.to, sizeof(p.to), "$B$%u", XR(row) + 1);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "MAX(GrantStart,EDATE(%s+1,-3))", p.to);
	forecast_param(w, row++, "Window from", xw_serial(tf->window_from),
	               w->date_left, "three months back from the day after the "
	               "window's end, not before the start");
	xw_buf_reset(&w->f);
	xw_buf_add(&w->f, "MIN(AsOf,GrantEnd)");
	forecast_param(w, row++, "Window to", xw_serial(tf->window_to),
	               w->date_left, "the as-of date, at the latest the end date");
	snprintf(p.window_days, sizeof(p.window_days), "$B$%u", XR(row));
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "%s-%s+1", p.to, p.from);
	forecast_param(w, row++, "Days in the window",
	               (double)((long)(tf->window_to - tf->window_from) + 1),
	               w->count, NULL);
	snprintf(p.full_days, sizeof(p.full_days), "$B$%u", XR(row));
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "%s-EDATE(%s+1,-3)+1", p.to, p.to);
	forecast_param(w, row++, "Days in three whole months",
	               (double)((long)(tf->window_to - tf->window_full_from) + 1),
	               w->count, "when the start cuts the window short, it counts "
	               "as that part of three months");

	static const char *const head[FO_COUNT] = {
		"Member", "Budget", "Actual", "Spent %", "Last three months",
		"Per month", "Projected at the end", "Projected vs budget %",
		"Off budget",
	};
	static const bool num[FO_COUNT] = {
		false, true, true, true, true, true, true, true, false,
	};
	row++;
	xw_header_row(w, ws, row, head, FO_COUNT, num);
	worksheet_set_row(ws, row++, 30, NULL);
	lxw_row_t first = row;
	for (size_t m = 0; m < g->member_count; m++, row++) {
		xw_label_text(w, ws, row, FO_MEMBER, &w->members[m].clean, NULL);
		forecast_row(w, row, &p, m, first);
	}
	xw_text(w, ws, row, FO_MEMBER, "Total", w->text_total, NULL, 0, "label");
	forecast_row(w, row, &p, g->member_count, first);
	w->forecast_total_row = row;
	/* Off budget in red. */
	static char yes[] = "\"yes\"";
	lxw_conditional_format off = {
		.type = LXW_CONDITIONAL_TYPE_CELL,
		.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
		.value_string = yes, .format = w->cf_bad,
	};
	xw_check(w, worksheet_conditional_format_range(ws, first, FO_OFF, row,
	                                               FO_OFF, &off));
	return row + 1;
}

static lxw_row_t summary_rounding(struct xw *w, lxw_row_t row)
{
	const struct gr_grant *g = w->r->grant;
	lxw_worksheet *ws = w->summary;
	xw_text(w, ws, row++, 0, "How the converted amounts are computed", w->h2,
	        NULL, 0, "title");
	const char *text = g->rounding == GR_ROUND_HALF_UP
		? "Rounding rule half-up. On the Ledger, each converted amount is "
		  "the formula ROUND(amount / rate, 2); for the transfer-average "
		  "method it is ROUND(amount x sent / received, 2), with the sums of "
		  "the transfers on the FX sheet, so that it is exact to the inputs. "
		  "Lines in the grant currency are the amount itself. ROUND in Excel "
		  "and LibreOffice rounds half away from zero, which is the half-up "
		  "rule: recalculating gives grantrec's figures to the cent."
		: "Rounding rule half-even. A spreadsheet has no function that "
		  "rounds half to even, so on the Ledger each converted amount is "
		  "the value grantrec computed exactly (amount / rate, rounded half "
		  "to even to the cent), not a formula; the rate is on the same row "
		  "and, with its source file and line, on the FX sheet. Every total "
		  "over the converted amounts is a formula.";
	xw_note_block(w, ws, row++, 0, SUMMARY_LAST, SUMMARY_WIDTH, text,
	              w->text_wrap);
	xw_note_block(w, ws, row++, 0, SUMMARY_LAST, SUMMARY_WIDTH, "A line whose amount "
	              "has more than 15 significant digits also holds grantrec's "
	              "value, since a spreadsheet computes with 15; its Note says "
	              "so.", w->text_wrap);
	return row;
}

static lxw_row_t summary_members(struct xw *w, lxw_row_t row)
{
	const struct gr_grant *g = w->r->grant;
	lxw_worksheet *ws = w->summary;
	xw_text(w, ws, row++, 0, "Members", w->h2, NULL, 0, "title");
	static const char *const head[] = {
		"Member", "Name", "Role", "Exchange-rate method", "Ledger file",
	};
	xw_header_row(w, ws, row, head, 5, NULL);
	worksheet_set_row(ws, row++, 30, NULL);
	for (size_t m = 0; m < g->member_count; m++, row++) {
		const struct gr_member *mem = &g->members[m];
		xw_label_text(w, ws, row, 0, &w->members[m].clean, NULL);
		xw_text(w, ws, row, 1, mem->name, NULL, NULL, 0, "member name");
		xw_text(w, ws, row, 2, mem->lead ? "lead" : "member", NULL, NULL, 0,
		        "role");
		xw_text(w, ws, row, 3, gr_fx_method_name(mem->fx), NULL, NULL, 0,
		        "method");
		xw_text(w, ws, row, 4, mem->ledger_name, NULL, NULL, 0, "file");
	}
	return row;
}

static lxw_row_t summary_inputs(struct xw *w, lxw_row_t row)
{
	const struct gr_inputs *in = w->inputs;
	lxw_worksheet *ws = w->summary;
	xw_text(w, ws, row++, 0, "Inputs", w->h2, NULL, 0, "title");
	xw_note_block(w, ws, row++, 0, SUMMARY_LAST, SUMMARY_WIDTH, "Every file the "
	              "reconciliation read, named as in grant.ini (relative to "
	              "its folder), with its number of lines and its SHA-256. "
	              "From that folder, 'sha256sum FILE' prints the same hash "
	              "(docs/auditors.md). The same list is in the workbook's "
	              "custom document properties.", w->note_wrap);
	static const char *const head[] = {"Role", "File", "Lines", "SHA-256"};
	static const bool num[] = {false, false, true, false};
	xw_header_row(w, ws, row++, head, 4, num);
	for (size_t i = 0; i < in->count; i++, row++) {
		const struct gr_input *f = in->items[i];
		xw_text(w, ws, row, 0, f->role, NULL, NULL, 0, "role");
		xw_text(w, ws, row, 1, f->name, NULL, NULL, 0, "file");
		xw_number(w, ws, row, 2, (double)f->lines, w->integer);
		xw_text(w, ws, row, 3, f->sha256, w->mono, NULL, 0, "hash");
	}
	return row;
}

static lxw_row_t summary_workbook(struct xw *w, lxw_row_t row)
{
	char text[256];
	xw_text(w, w->summary, row++, 0, "This workbook", w->h2, NULL, 0,
	        "title");
	kv(w, row++, "grantrec version", w->version, NULL);
	if (w->ledger_sheets == 1)
		snprintf(text, sizeof(text), "Ledger (%zu lines)",
		         w->r->ledger->count);
	else
		snprintf(text, sizeof(text), "Ledger to Ledger (%zu), %zu lines",
		         w->ledger_sheets, w->r->ledger->count);
	kv(w, row++, "Ledger sheets", text, w->ledger_sheets == 1 ? NULL
	   : "A sheet holds 1,048,575 lines; every sum over the ledger covers "
	     "all the Ledger sheets.");
	kv(w, row++, "Texts changed for the workbook", "see Findings",
	   "Characters not allowed in a workbook, or text longer than a cell "
	   "holds, and what was done about them (code workbook-text).");
	return row;
}

/* What changed since the previous report (--previous), counted on the
 * Changes sheet. */
static lxw_row_t summary_changes(struct xw *w, lxw_row_t row)
{
	const struct gr_changes *c = w->changes;
	lxw_worksheet *ws = w->summary;
	char text[160], kind[64], side[64];
	xw_text(w, ws, row++, 0, "Changes since the previous report", w->h2, NULL,
	        0, "title");
	/* A path may be long: it has the row's width. */
	xw_text(w, ws, row, 0, "The previous report's grant.ini", w->bold, NULL,
	        0, "label");
	xw_note_block(w, ws, row++, 1, SUMMARY_LAST, SUMMARY_WIDTH - 46,
	              w->previous_name, w->text_wrap);
	xw_text(w, ws, row, 0, "Its books as of", w->bold, NULL, 0, "label");
	xw_date(w, ws, row, 1, c->before->as_of, w->date_left);
	summary_note(w, row++, "its inputs, reconciled again as archived: the "
	             "latest date in them");
	xw_text(w, ws, row, 0, "Reported to", w->bold, NULL, 0, "label");
	xw_date(w, ws, row, 1, c->reported_to, w->date_left);
	summary_note(w, row++, "the end of its quarter: lines dated up to it and "
	             "new since are late bookings");
	unsigned F = XR(w->changes_lines_first), Z = XR(w->changes_lines_end) - 1;
	xw_col(kind, XW_CH_KIND);
	xw_col(side, XW_CH_SIDE);
	static const struct {
		const char *label, *kind, *side;
	} counts[] = {
		{"Late bookings", "late booking", "now"},
		{"Removed lines", "removed", "before"},
		{"Changed lines", "changed", "now"},
	};
	size_t values[] = {c->late, c->removed, c->changed};
	for (size_t k = 0; k < 3; k++, row++) {
		xw_text(w, ws, row, 0, counts[k].label, w->bold, NULL, 0, "label");
		xw_buf_reset(&w->f);
		if (Z >= F)
			xw_buf_addf(&w->f, "COUNTIFS(Changes!$%s$%u:$%s$%u,\"%s\","
			            "Changes!$%s$%u:$%s$%u,\"%s\")", kind, F, kind, Z,
			            counts[k].kind, side, F, side, Z, counts[k].side);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_num(w, ws, row, 1, (double)values[k], w->count);
		link_at(w, row, "Changes", w->changes_lines_first);
	}
	xw_text(w, ws, row, 0, "New lines after it", w->bold, NULL, 0, "label");
	xw_number(w, ws, row, 1, (double)c->new_after, w->count);
	summary_note(w, row++, "the ordinary activity since the previous report: "
	             "neither a restatement nor listed");
	mpz_t net;
	mpz_init(net);
	for (size_t i = 0; i < c->restated_count; i++)
		mpz_add(net, net, c->restated[i].difference);
	char diff[8];
	xw_col(diff, XW_RS_DIFFERENCE);
	xw_buf_reset(&w->f);
	if (c->restated_count)
		xw_buf_addf(&w->f, "SUM(Changes!$%s$%u:$%s$%u)", diff,
		            XR(w->changes_restated_first), diff,
		            XR(w->changes_restated_end) - 1);
	else
		xw_buf_add(&w->f, "0");
	snprintf(text, sizeof(text), "Reported quarters restated, net (%s)",
	         xw_currency(w));
	figure(w, row, text, net, NULL);
	link_at(w, row++, "Changes", w->changes_restated_first - 2);
	mpz_clear(net);
	return row;
}

void xw_sheet_summary(struct xw *w)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->summary;
	char text[512];
	snprintf(text, sizeof(text), "Grant reconciliation: %s", g->name);
	xw_text(w, ws, 0, 0, text, w->title, NULL, 0, "title");
	snprintf(text, sizeof(text), "Produced by grantrec %s from the input "
	         "files listed below. Every total is a formula over the Ledger "
	         "sheet(s), stored with the figure grantrec computed exactly: "
	         "recalculating gives the same figures.", w->version);
	xw_note_block(w, ws, 1, 0, SUMMARY_LAST, SUMMARY_WIDTH, text,
	              w->note_wrap);
	summary_grant(w);
	struct figure_rows fr = {0};
	lxw_row_t row = summary_figures(w, (w->has_quarter ? SR_QUARTER_TO
	                                                   : SR_AS_OF) + 2, &fr);
	if (r->has_fx_effect)
		row = summary_bridge(w, row + 1, &fr);
	row = summary_checks(w, row + 1, &fr);
	row = xw_summary_rules(w, row + 1);
	if (r->as_of_given && r->as_of < g->end)
		row = summary_forecast(w, row + 1);
	else
		w->forecast_total_row = 0;
	if (w->changes)
		row = summary_changes(w, row + 1);
	row = summary_rounding(w, row + 1);
	row = summary_members(w, row + 1);
	row = summary_inputs(w, row + 1);
	summary_workbook(w, row + 1);
	worksheet_set_column(ws, 0, 0, 46, NULL);
	worksheet_set_column(ws, 1, 1, 34, NULL);
	worksheet_set_column(ws, 2, FO_OFF, 16, NULL);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_footer(ws, "&L&A&R&P / &N");
	worksheet_activate(ws);
}
