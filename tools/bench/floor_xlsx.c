/*
 * floor_xlsx.c: the "plain libxlsxwriter floor" of the benchmark.
 *
 *   floor_xlsx ROWS COLS OUT.xlsx
 *
 * Writes ROWS data rows of COLS cells (plus one header row per sheet) with
 * libxlsxwriter in constant_memory mode, as fast as the library allows: no
 * validation, no cleaning of text, no notes, values made up on the fly. It
 * is what any program that writes a sheet of that size pays, so grantrec's
 * workbook (whose Ledger sheet has one row per ledger line) is measured
 * against it.
 *
 * The cells cycle through the kinds of grantrec's Ledger sheet, column by
 * column: member, file name, line number, voucher (unique per row), date,
 * country, budget line, description, amount, currency, rate, the converted
 * amount as a formula with its value, the "counted" flag as a formula with
 * its value, and an (empty) note. With COLS = 14 that is one Ledger row.
 *
 * Like grantrec, rows past Excel's 1,048,576 continue on a new sheet
 * (Ledger, Ledger (2), ...), scratch files go beside the output, and the
 * zip switches to ZIP64 above 5,000,000 rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#define SHEET_ROWS ((lxw_row_t)LXW_ROW_MAX - 1)
#define ZIP64_ROWS 5000000UL

static const char *const members[] = {"tdh", "icco", "plan", "fag", "dci"};
static const char *const files[] = {"tdh.csv", "icco.csv", "plan.csv",
                                    "fag.csv", "dci.csv"};
static const char *const countries[] = {
	"Bangladesh", "Nepal", "Indonesia", "Philippines", "India", "Colombia",
	"Peru", "Bolivia", "Thailand", "Brazil", "",
};
static const char *const lines[] = {
	"O1 Specialised services", "O2 Child and youth advocacy",
	"O3 Protective shield", "O4 Child protection systems",
	"O5 Lobby and advocacy", "Programme management",
	"Monitoring and evaluation",
};
static const char *const descriptions[] = {
	"Psychosocial counselling for survivors, Kolkata",
	"Training of youth advocates, Medellín",
	"Parent and caregiver sessions Cebu",
	"Coordination travel, Den Haag",
	"Atención psicosocial a víctimas, Arequipa",
	"Opvang en medische zorg – Kathmandu",
	"Monitoring visit Chiang Mai (เชียงใหม่)",
};
static const char *const currencies[] = {"INR", "COP", "PHP", "EUR", "PEN",
                                         "NPR", "THB"};
static const char *const heads[] = {
	"Member", "Source file", "Source line", "Voucher", "Date", "Country",
	"Budget line", "Description", "Amount", "Currency", "Rate",
	"Converted (EUR)", "Counted", "Note",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int fail(const char *what, lxw_error e)
{
	fprintf(stderr, "floor_xlsx: %s: %s\n", what, lxw_strerror(e));
	return 1;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 1;
	char *d = malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, slash ? path : ".", n);
	d[n] = '\0';
	if (slash == path)
		strcpy(d, "/");
	return d;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: floor_xlsx ROWS COLS OUT.xlsx\n", stderr);
		return 2;
	}
	char *end;
	unsigned long rows = strtoul(argv[1], &end, 10);
	if (*end || rows == 0) {
		fputs("floor_xlsx: ROWS must be a positive number\n", stderr);
		return 2;
	}
	unsigned long cols = strtoul(argv[2], &end, 10);
	if (*end || cols == 0 || cols > LXW_COL_MAX) {
		fputs("floor_xlsx: COLS must be 1..16384\n", stderr);
		return 2;
	}
	char *dir = dir_of(argv[3]);
	if (!dir)
		return 1;
	lxw_workbook_options options = {
		.constant_memory = LXW_TRUE,
		.tmpdir = dir,
		.use_zip64 = rows > ZIP64_ROWS,
	};
	lxw_workbook *wb = workbook_new_opt(argv[3], &options);
	if (!wb) {
		fprintf(stderr, "floor_xlsx: cannot create %s\n", argv[3]);
		free(dir);
		return 1;
	}
	lxw_format *header = workbook_add_format(wb);
	format_set_bold(header);
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	lxw_format *money = workbook_add_format(wb);
	format_set_num_format(money, "#,##0.00");
	lxw_format *rate = workbook_add_format(wb);
	format_set_num_format(rate, "0.000000");
	lxw_format *integer = workbook_add_format(wb);
	format_set_num_format(integer, "0");

	lxw_worksheet *ws = NULL;
	lxw_row_t row = 0;
	unsigned long sheets = 0;
	char text[64], formula[96];
	lxw_error e = LXW_NO_ERROR;
	for (unsigned long i = 0; i < rows && e == LXW_NO_ERROR; i++) {
		if (!ws || row > SHEET_ROWS) {
			sheets++;
			if (sheets == 1)
				snprintf(text, sizeof(text), "Ledger");
			else
				snprintf(text, sizeof(text), "Ledger (%lu)", sheets);
			ws = workbook_add_worksheet(wb, text);
			if (!ws) {
				workbook_close(wb);
				free(dir);
				fputs("floor_xlsx: cannot add a worksheet\n", stderr);
				return 1;
			}
			for (lxw_col_t c = 0; c < cols; c++)
				worksheet_write_string(ws, 0, c, heads[c % N(heads)], header);
			row = 1;
		}
		unsigned R = row + 1;
		double amount = (double)((i * 7919) % 9000000 + 100) / 100.0;
		double k = 1.0 + (double)(i % 97) / 10.0;
		for (lxw_col_t c = 0; c < cols && e == LXW_NO_ERROR; c++) {
			switch (c % 14) {
			case 0:
				e = worksheet_write_string(ws, row, c, members[i % N(members)],
				                           NULL);
				break;
			case 1:
				e = worksheet_write_string(ws, row, c, files[i % N(files)],
				                           NULL);
				break;
			case 2:
				e = worksheet_write_number(ws, row, c, (double)(i + 2),
				                           integer);
				break;
			case 3:
				snprintf(text, sizeof(text), "IK%02lu-%07lu", 21 + i % 5,
				         i + 1);
				e = worksheet_write_string(ws, row, c, text, NULL);
				break;
			case 4:
				e = worksheet_write_number(ws, row, c,
				                           44197.0 + (double)(i % 1826), date);
				break;
			case 5:
				e = worksheet_write_string(ws, row, c,
				                           countries[i % N(countries)], NULL);
				break;
			case 6:
				e = worksheet_write_string(ws, row, c, lines[i % N(lines)],
				                           NULL);
				break;
			case 7:
				e = worksheet_write_string(ws, row, c,
				                           descriptions[i % N(descriptions)],
				                           NULL);
				break;
			case 8:
				e = worksheet_write_number(ws, row, c, amount, money);
				break;
			case 9:
				e = worksheet_write_string(ws, row, c,
				                           currencies[i % N(currencies)], NULL);
				break;
			case 10:
				e = worksheet_write_number(ws, row, c, k, rate);
				break;
			case 11:
				snprintf(formula, sizeof(formula), "ROUND(I%u/K%u,2)", R, R);
				e = worksheet_write_formula_num(ws, row, c, formula, money,
				                                (double)(long)(amount / k * 100.0
				                                               + 0.5) / 100.0);
				break;
			case 12:
				snprintf(formula, sizeof(formula),
				         "IF(AND(E%u>=44197,E%u<=46022),\"yes\",\"no\")", R, R);
				e = worksheet_write_formula_str(ws, row, c, formula, NULL,
				                                "yes");
				break;
			default:
				/* the note column: empty on almost every row */
				break;
			}
		}
		row++;
	}
	if (e != LXW_NO_ERROR) {
		workbook_close(wb);
		free(dir);
		return fail("writing a cell", e);
	}
	e = workbook_close(wb);
	free(dir);
	if (e != LXW_NO_ERROR)
		return fail("closing the workbook", e);
	printf("floor_xlsx: %lu rows x %lu columns on %lu sheet%s\n", rows, cols,
	       sheets, sheets == 1 ? "" : "s");
	return 0;
}
