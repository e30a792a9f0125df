/*
 * fuzz_rates: the exchange-rate tables through gr_fx_load on a temporary
 * grant with three members (daily, monthly, transfer-average), then the
 * lookups checked against a direct reading of docs/formats.md section 8.
 *
 * Input: byte 0 % 4 chooses the table that gets the rest of the input:
 * 0 daily rates, 1 monthly rates, 2 transfers, 3 budget (planning) rates.
 * The other tables hold a small valid content.
 *
 * Checked on success: every rate row is found again by its own date (daily,
 * monthly) with its own value, a daily rate also holds for the following
 * days up to the next rate, a date before the first rate has none; every
 * transfer-average rate equals sum(local) / sum(eur) over the member's
 * transfers in that currency up to that date, computed here from the
 * parsed transfers; a date before the first transfer falls back to the
 * earliest date's average.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "grantrec/fx.h"
#include "grantrec/grant.h"

static struct fz_file ini, daily, monthly, transfers, budget_rates;
static struct gr_grant grant;

static const char daily_ok[] = "date,currency,rate\n2021-01-04,USD,1.2\n";
static const char monthly_ok[] = "month,currency,rate\n2021-01,USD,1.21\n";
static const char transfers_ok[] =
	"date,member,currency,eur,local\n2021-01-05,c,USD,100.00,121.00\n";
static const char budget_ok[] = "currency,rate\nUSD,1.25\n";

static void setup(void)
{
	fz_file_open(&ini, "grant.ini");
	fz_file_open(&daily, "daily.csv");
	fz_file_open(&monthly, "monthly.csv");
	fz_file_open(&transfers, "transfers.csv");
	fz_file_open(&budget_rates, "budget-rates.csv");
	char text[2048];
	snprintf(text, sizeof(text),
		"[grant]\nname = fuzz\ncurrency = EUR\namount = 1000.00\n"
		"start = 2021-01-01\nend = 2021-12-31\nbudget = b.csv\n"
		"tranches = t.csv\ndaily_rates = %s\nmonthly_rates = %s\n"
		"transfers = %s\nbudget_rates = %s\n"
		"[member a]\nrole = lead\nledger = a.csv\nfx = daily\n"
		"[member b]\nrole = member\nledger = b.csv\nfx = monthly\n"
		"[member c]\nrole = member\nledger = c.csv\nfx = transfer-average\n",
		daily.path, monthly.path, transfers.path, budget_rates.path);
	fz_file_set_str(&ini, text);
	gr_grant_init(&grant);
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	FZ_CHECK(gr_grant_load(&grant, ini.path, &inputs, &diags) == GR_OK,
	         "the fixed grant.ini does not load: %s",
	         diags.count ? diags.items[0].message : "?");
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
}

static void check_table(const struct gr_fx *fx, enum gr_fx_method method)
{
	for (size_t i = 0; i < fx->rate_count; i++) {
		const struct gr_rate *r = &fx->rates[i];
		if (r->method != method)
			continue;
		FZ_CHECK(mpq_sgn(r->value) > 0, "a rate of zero or less");
		FZ_CHECK(strcmp(r->currency, "EUR") != 0, "a rate for EUR");
		size_t k = (size_t)-1;
		gr_date day = r->date;
		if (method == GR_FX_MONTHLY) {
			int y, m, d;
			gr_date_to_ymd(r->date, &y, &m, &d);
			FZ_CHECK(d == 1, "a monthly rate not on the 1st");
			day = r->date + gr_days_in_month(y, m) - 1; /* any day counts */
		}
		enum gr_fx_result res = gr_fx_find(fx, method, 0, r->currency, day,
		                                   &k);
		FZ_CHECK(res == GR_FX_FOUND && k < fx->rate_count,
		         "rate on line %ld not found (result %d)", r->line, (int)res);
		FZ_CHECK(fx->rates[k].date == r->date &&
		         mpq_equal(fx->rates[k].value, r->value) &&
		         strcmp(fx->rates[k].currency, r->currency) == 0,
		         "line %ld: lookup gave the rate of line %ld", r->line,
		         fx->rates[k].line);
		/* The day before the first rate of this currency has none. */
		gr_date first = gr_fx_first_date(fx, method, 0, r->currency);
		FZ_CHECK(first != GR_NO_DATE && first <= r->date, "first date");
		res = gr_fx_find(fx, method, 0, r->currency, first - 1, &k);
		FZ_CHECK(res == GR_FX_NO_RATE, "a rate before the first one");
		if (method == GR_FX_DAILY) {
			/* The next day takes this rate, unless it has its own. */
			res = gr_fx_find(fx, method, 0, r->currency, r->date + 1, &k);
			FZ_CHECK(res == GR_FX_FOUND, "no rate the day after");
			FZ_CHECK(fx->rates[k].date == r->date + 1 ||
			         (fx->rates[k].date == r->date &&
			          mpq_equal(fx->rates[k].value, r->value)),
			         "the day after line %ld", r->line);
		}
	}
}

static void check_averages(const struct gr_fx *fx)
{
	mpq_t eur, local, v, want;
	mpq_inits(eur, local, v, want, NULL);
	for (size_t i = 0; i < fx->transfer_count; i++) {
		const struct gr_transfer *t = &fx->transfers[i];
		FZ_CHECK(t->member < grant.member_count, "member %zu", t->member);
		FZ_CHECK(mpz_sgn(t->eur.coef) > 0 && mpz_sgn(t->local.coef) > 0,
		         "a transfer of zero or less");
		/* The average up to and including t's date, from scratch. */
		mpq_set_ui(eur, 0, 1);
		mpq_set_ui(local, 0, 1);
		gr_date earliest = t->date;
		for (size_t j = 0; j < fx->transfer_count; j++) {
			const struct gr_transfer *u = &fx->transfers[j];
			if (u->member != t->member || strcmp(u->currency, t->currency))
				continue;
			if (u->date < earliest)
				earliest = u->date;
			if (u->date > t->date)
				continue;
			gr_dec_to_mpq(v, &u->eur);
			mpq_add(eur, eur, v);
			gr_dec_to_mpq(v, &u->local);
			mpq_add(local, local, v);
		}
		mpq_div(want, local, eur);
		size_t k = (size_t)-1;
		enum gr_fx_result res = gr_fx_find(fx, GR_FX_TRANSFER_AVERAGE,
		                                   t->member, t->currency, t->date,
		                                   &k);
		FZ_CHECK(res == GR_FX_FOUND && k < fx->rate_count,
		         "transfer line %ld: no average (result %d)", t->line,
		         (int)res);
		FZ_CHECK(mpq_equal(fx->rates[k].value, want),
		         "transfer line %ld: average differs", t->line);
		if (t->date == earliest) {
			/* Before the first transfer: the earliest day's average. */
			res = gr_fx_find(fx, GR_FX_TRANSFER_AVERAGE, t->member,
			                 t->currency, earliest - 1, &k);
			FZ_CHECK(res == GR_FX_FALLBACK && k < fx->rate_count &&
			         mpq_equal(fx->rates[k].value, want),
			         "transfer line %ld: fallback (result %d)", t->line,
			         (int)res);
		}
	}
	mpq_clears(eur, local, v, want, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static bool ready;
	if (!ready) {
		setup();
		ready = true;
	}
	int table = data[0] % 4;
	fz_file_set_str(&daily, daily_ok);
	fz_file_set_str(&monthly, monthly_ok);
	fz_file_set_str(&transfers, transfers_ok);
	fz_file_set_str(&budget_rates, budget_ok);
	struct fz_file *target = table == 0 ? &daily : table == 1 ? &monthly
	                       : table == 2 ? &transfers : &budget_rates;
	fz_file_set(target, data + 1, size - 1);

	struct gr_fx fx = {0};
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	enum gr_status st = gr_fx_load(&fx, &grant, &inputs, &diags);
	FZ_CHECK(st == GR_OK || st == GR_E_INPUT, "status %d", (int)st);
	FZ_CHECK((st == GR_OK) == (diags.errors == 0),
	         "status %d with %zu errors", (int)st, diags.errors);
	FZ_CHECK(inputs.count == 4, "%zu inputs", inputs.count);
	for (size_t i = 0; i < diags.count; i++)
		FZ_CHECK(diags.items[i].message && *diags.items[i].message,
		         "an empty message");
	if (st == GR_OK) {
		check_table(&fx, GR_FX_DAILY);
		check_table(&fx, GR_FX_MONTHLY);
		check_averages(&fx);
		for (size_t i = 0; i < fx.budget_rate_count; i++) {
			FZ_CHECK(mpq_sgn(fx.budget_rates[i].value) > 0, "budget rate");
			FZ_CHECK(gr_fx_budget_rate(&fx, fx.budget_rates[i].currency) ==
			         &fx.budget_rates[i], "a planning rate given twice");
		}
	}
	gr_fx_release(&fx);
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
	return 0;
}
