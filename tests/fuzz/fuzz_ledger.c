/*
 * fuzz_ledger: a member's ledger export read through its import profile
 * (gr_ledger_load: the CSV reader, the header mapping, amounts, dates,
 * currencies), under every profile grant.ini can declare.
 *
 * Input: three bytes choose the profile, the rest is the ledger file.
 *   byte 0: bits 0-1 delimiter (comma, semicolon, tab, pipe),
 *           bit 2 decimal (point, comma),
 *           bits 3-4 thousands (none, then the three marks that differ from
 *           the decimal mark among point, comma, space, apostrophe... see
 *           thousands_for below)
 *   byte 1: % 5 date_format, bit 3 encoding (utf-8, windows-1252)
 *   byte 2: % 5 the column names: canonical, or those of the bundled
 *           tdh, icco, plan or dci exports.
 * Each profile's grant.ini is loaded once and kept.
 *
 * Checked: no crash, leak or sanitizer report; a status that matches the
 * messages; on success every record of the file (read again with the bare
 * CSV reader) became exactly one ledger line, on its own physical line, with
 * a plausible amount, currency, voucher and date.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/csvread.h"
#include "fuzz_common.h"
#include "grantrec/grant.h"
#include "grantrec/ledger.h"

static const char *const delimiter_names[] = {"comma", "semicolon", "tab",
                                              "pipe"};
static const char delimiter_chars[] = {',', ';', '\t', '|'};
static const char *const thousands_point[] = {"none", "comma", "space",
                                              "apostrophe"};
static const char *const thousands_comma[] = {"none", "point", "space",
                                              "apostrophe"};
static const char *const date_formats[] = {"YYYY-MM-DD", "DD-MM-YYYY",
                                           "DD/MM/YYYY", "MM/DD/YYYY",
                                           "DD.MM.YYYY"};
static const char *const column_sets[5][7] = {
	{0},
	{"Boekdatum", "Bedrag", "Valuta", "Budgetpost", "Boekstuk", "Land",
	 "Omschrijving"},
	{"Fecha", "Importe", "Moneda", "Partida", "Comprobante", "Pa\xc3\xads",
	 "Descripci\xc3\xb3n"},
	{"Posting Date", "Amount", "Currency", "Budget Line", "Document No",
	 "Country", "Description"},
	{"Datum", "Bedrag", "Valuta", "Begrotingsregel", "Factuurnr", "Land",
	 "Omschrijving"},
};
static const char *const column_keys[7] = {
	"col.date", "col.amount", "col.currency", "col.budget_line",
	"col.voucher", "col.country", "col.description",
};

#define PROFILES (4 * 2 * 4 * 5 * 2 * 5)

static struct fz_file ledger_file, ini_file;
static struct gr_grant *grants[PROFILES];

static struct gr_grant *grant_for(unsigned delim, unsigned dec, unsigned th,
                                  unsigned df, unsigned enc, unsigned cols)
{
	unsigned key = ((((delim * 2 + dec) * 4 + th) * 5 + df) * 2 + enc) * 5 +
	               cols;
	if (grants[key])
		return grants[key];
	char ini[2048];
	int n = snprintf(ini, sizeof(ini),
		"[grant]\nname = fuzz\ncurrency = EUR\namount = 1000.00\n"
		"start = 2021-01-01\nend = 2021-12-31\nbudget = b.csv\n"
		"tranches = t.csv\ndaily_rates = r.csv\n"
		"[member a]\nrole = lead\nledger = %s\nfx = daily\n"
		"delimiter = %s\ndecimal = %s\nthousands = %s\n"
		"date_format = %s\nencoding = %s\n",
		ledger_file.path, delimiter_names[delim], dec ? "comma" : "point",
		dec ? thousands_comma[th] : thousands_point[th], date_formats[df],
		enc ? "windows-1252" : "utf-8");
	for (int c = 0; cols && c < 7; c++)
		n += snprintf(ini + n, sizeof(ini) - (size_t)n, "%s = %s\n",
		              column_keys[c], column_sets[cols][c]);
	fz_file_set_str(&ini_file, ini);
	struct gr_grant *g = calloc(1, sizeof(*g));
	if (!g)
		abort();
	gr_grant_init(g);
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	enum gr_status st = gr_grant_load(g, ini_file.path, &inputs, &diags);
	FZ_CHECK(st == GR_OK, "the profile's grant.ini does not load: %s\n%s",
	         diags.count ? diags.items[0].message : "?", ini);
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
	grants[key] = g;
	return g;
}

struct counter {
	size_t records;
	long lines[1024];
};

static bool count_row(void *ctx, const struct gr_csv_row *row)
{
	struct counter *c = ctx;
	if (c->records < 1024)
		c->lines[c->records] = row->line;
	c->records++;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	static bool ready;
	if (!ready) {
		fz_file_open(&ledger_file, "ledger.csv");
		fz_file_open(&ini_file, "grant.ini");
		ready = true;
	}
	unsigned delim = data[0] & 3, dec = (data[0] >> 2) & 1,
	         th = (data[0] >> 3) & 3, df = data[1] % 5,
	         enc = (data[1] >> 3) & 1, cols = data[2] % 5;
	const struct gr_grant *g = grant_for(delim, dec, th, df, enc, cols);
	fz_file_set(&ledger_file, data + 3, size - 3);

	struct gr_ledger ledger = {0};
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	enum gr_status st = gr_ledger_load(&ledger, g, &inputs, &diags);
	FZ_CHECK(st == GR_OK || st == GR_E_INPUT, "status %d", (int)st);
	FZ_CHECK((st == GR_OK) == (diags.errors == 0),
	         "status %d with %zu errors", (int)st, diags.errors);
	for (size_t i = 0; i < diags.count; i++) {
		const struct gr_diag *d = &diags.items[i];
		FZ_CHECK(d->message && *d->message, "an empty message");
		FZ_CHECK(!d->file || d->line >= 0, "line %ld", d->line);
	}
	FZ_CHECK(inputs.count == 1, "%zu inputs listed", inputs.count);
	const struct gr_input *in = inputs.items[0];
	if (st == GR_OK) {
		/* Every record after the header is one ledger line: none lost,
		 * none invented. */
		struct counter c = {0};
		struct gr_input again = { .path = ledger_file.path };
		struct gr_csv_options opt = {
			.delimiter = delimiter_chars[delim],
			.encoding = enc ? GR_ENC_WINDOWS_1252 : GR_ENC_UTF8,
		};
		struct gr_diags d2 = GR_DIAGS_INIT;
		FZ_CHECK(gr_csv_read(&again, &opt, count_row, &c, &d2) == GR_OK,
		         "the ledger loads but the bare reader refuses it");
		gr_diags_release(&d2);
		FZ_CHECK(c.records >= 1 && ledger.count == c.records - 1,
		         "%zu records (header included), %zu ledger lines",
		         c.records, ledger.count);
		FZ_CHECK(strcmp(in->sha256, again.sha256) == 0, "hash differs");
		FZ_CHECK(in->lines == again.lines, "line counts differ");
		for (size_t i = 0; i < ledger.count; i++) {
			const struct gr_line *l = &ledger.lines[i];
			if (i + 1 < 1024)
				FZ_CHECK(l->line == c.lines[i + 1], "ledger line %zu "
				         "reported on line %ld, the record is on %ld",
				         i, (long)l->line, c.lines[i + 1]);
			/* Never on the header's line. */
			FZ_CHECK(l->line >= 2 && l->line <= in->lines,
			         "ledger line %zu on line %ld of %ld", i, (long)l->line,
			         in->lines);
			FZ_CHECK(gr_line_input(&ledger, l) == in, "source");
			struct gr_dec amount;
			gr_dec_init(&amount);
			gr_line_amount(&ledger, l, &amount);
			FZ_CHECK(amount.scale >= 0 && amount.scale <= 6,
			         "scale %d", amount.scale);
			FZ_CHECK(mpz_sizeinbase(amount.coef, 10) <= 24,
			         "an amount of %zu digits",
			         mpz_sizeinbase(amount.coef, 10));
			FZ_CHECK(l->amount_big == !mpz_fits_slong_p(amount.coef),
			         "an amount of %zu digits kept %s",
			         mpz_sizeinbase(amount.coef, 10),
			         l->amount_big ? "apart" : "in 64 bits");
			gr_dec_clear(&amount);
			for (int k = 0; k < 3; k++)
				FZ_CHECK(l->currency[k] >= 'A' && l->currency[k] <= 'Z',
				         "currency '%s'", l->currency);
			FZ_CHECK(l->currency[3] == '\0', "currency not terminated");
			size_t vn = strlen(l->voucher);
			FZ_CHECK(vn > 0 && l->voucher[0] != ' ' &&
			         l->voucher[vn - 1] != ' ', "voucher '%s'", l->voucher);
			FZ_CHECK(l->budget_line < ledger.budget_lines.count,
			         "budget line id");
			FZ_CHECK(l->country < ledger.countries.count, "country id");
			int y, m, d;
			gr_date_to_ymd(l->date, &y, &m, &d);
			FZ_CHECK(y >= GR_DATE_MIN_YEAR && y <= GR_DATE_MAX_YEAR,
			         "year %d", y);
		}
	} else {
		FZ_CHECK(diags.count > 0 || diags.dropped > 0, "an error without a "
		         "message");
	}
	gr_ledger_release(&ledger);
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
	return 0;
}
