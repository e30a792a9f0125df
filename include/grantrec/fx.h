/*
 * fx.h: exchange-rate tables and the rule that picks a line's rate.
 *
 * A rate is units of the currency per 1 unit of the grant currency (the
 * ECB convention: 1 EUR = 1.2130 USD), held as an exact rational, so that
 * grant amount = local amount / rate. Three methods:
 *   daily            the latest rate on or before the line's date;
 *   monthly          the rate of the line's month;
 *   transfer-average sum(local) / sum(grant currency) over the member's
 *                    transfers in that currency dated on or before the line
 *                    (the earliest transfer when none precedes it: a
 *                    fallback the reconciliation reports).
 * Every rate keeps the file and line it comes from; a transfer average
 * keeps the range of transfers that make it up.
 */
#ifndef GRANTREC_FX_H
#define GRANTREC_FX_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grantrec/date.h"
#include "grantrec/decimal.h"
#include "grantrec/diag.h"
#include "grantrec/grant.h"
#include "grantrec/inputs.h"
#include "grantrec/strset.h"

struct gr_rate {
	mpq_t value;
	char currency[4];
	enum gr_fx_method method;
	gr_date date;          /* daily: its date; monthly: the 1st of its month;
	                          transfer-average: date of the last transfer in it */
	const char *path;
	long line;             /* transfer-average: line of the last transfer */
	char *text;            /* daily and monthly: the rate as written */
	size_t member;         /* transfer-average only */
	size_t first_transfer; /* transfer-average: transfers[first .. last] */
	size_t last_transfer;
};

struct gr_transfer {
	gr_date date;
	size_t member;
	char currency[4];
	struct gr_dec eur;
	struct gr_dec local;
	char *eur_text;
	char *local_text;
	long line;
};

/* A sorted index: (group, date) -> rate. */
struct gr_fx_key {
	uint32_t group;
	gr_date date;
	uint32_t rate;
};

struct gr_fx_index {
	struct gr_fx_key *keys;
	size_t count, cap;
	struct gr_strset groups; /* "USD", or "<member index>:USD" for averages */
};

/* A planning rate from budget_rates (currency,rate): what the budget was
 * drawn up with, used to split a variance into rate and spending effects. */
struct gr_budget_rate {
	char currency[4];
	mpq_t value;
	char *text;
	long line;
};

struct gr_fx {
	struct gr_rate *rates;
	size_t rate_count, rate_cap;
	struct gr_transfer *transfers; /* sorted by member, currency, date, line */
	size_t transfer_count, transfer_cap;
	struct gr_fx_index daily;
	struct gr_fx_index monthly;
	struct gr_fx_index average;
	const char *daily_path;
	const char *monthly_path;
	const char *transfers_path;
	struct gr_budget_rate *budget_rates;
	size_t budget_rate_count, budget_rate_cap;
	const char *budget_rates_path;
};

/* The planning rate of a currency, or NULL. */
const struct gr_budget_rate *gr_fx_budget_rate(const struct gr_fx *fx,
                                               const char *currency);

void gr_fx_release(struct gr_fx *fx);

/* Reads the rate tables grant.ini names (only those a member's method
 * needs must exist) and builds the lookup indexes. */
enum gr_status gr_fx_load(struct gr_fx *fx, const struct gr_grant *grant,
                          struct gr_inputs *inputs, struct gr_diags *diags);

enum gr_fx_result {
	GR_FX_FOUND,
	GR_FX_FALLBACK,    /* transfer-average: the earliest transfer, after the line */
	GR_FX_NO_CURRENCY, /* no rate at all for this currency (and member) */
	GR_FX_NO_RATE,     /* none for this date or month */
};

/* Picks the rate for a line; *rate is an index into fx->rates. */
enum gr_fx_result gr_fx_find(const struct gr_fx *fx, enum gr_fx_method method,
                             size_t member, const char *currency,
                             gr_date date, size_t *rate);

/* The same in two steps, for many lines: the rates of one currency under
 * one method (and member, for transfer averages) are found once, -1 when
 * there are none; then each date is a binary search among them. */
long gr_fx_group(const struct gr_fx *fx, enum gr_fx_method method,
                 size_t member, const char *currency);
enum gr_fx_result gr_fx_find_in(const struct gr_fx *fx,
                                enum gr_fx_method method, long group,
                                gr_date date, size_t *rate);

/* The first date (or month) a currency has a rate for, GR_NO_DATE if none. */
gr_date gr_fx_first_date(const struct gr_fx *fx, enum gr_fx_method method,
                         size_t member, const char *currency);

#endif
