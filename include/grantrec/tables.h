/*
 * tables.h: the grant's own tables, all in the grant currency:
 * budget.csv, tranches.csv, disbursements.csv and comments.csv.
 *
 * Each row keeps the line it came from. Amounts are cents (mpz_t); a value
 * with more than two decimals is an error, never rounded here.
 */
#ifndef GRANTREC_TABLES_H
#define GRANTREC_TABLES_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "grantrec/date.h"
#include "grantrec/diag.h"
#include "grantrec/grant.h"
#include "grantrec/inputs.h"

#define GR_NO_MEMBER ((size_t)-1)

struct gr_budget_row {
	size_t member;       /* GR_NO_MEMBER for a member not in grant.ini */
	char *member_id;
	char *budget_line;
	mpz_t amount;
	long line;
};

/* A revised budget approved by the donor ([budget revision N]). */
struct gr_budget_set {
	unsigned number;         /* N: 2 or more (the original is revision 1) */
	gr_date approved;
	const char *path;        /* as opened, for findings */
	struct gr_budget_row *rows;
	size_t count, cap;
};

struct gr_tranche {
	char *name;
	mpz_t amount;
	gr_date due;
	gr_date received;    /* GR_NO_DATE while outstanding */
	long line;
};

struct gr_disbursement {
	gr_date date;
	size_t member;
	mpz_t amount;
	long line;
};

struct gr_comment {
	size_t member;
	char *budget_line;
	char *text;
	long line;
};

struct gr_declared {          /* a figure a member reported for a quarter */
	size_t member;
	char *quarter;           /* "Q1" or "2021-Q3", checked by the reconciliation */
	mpz_t amount;
	long line;
};

struct gr_tables {
	struct gr_budget_row *budget;
	size_t budget_count, budget_cap;
	struct gr_tranche *tranches;
	size_t tranche_count, tranche_cap;
	struct gr_disbursement *disbursements;
	size_t disbursement_count, disbursement_cap;
	struct gr_comment *comments;
	size_t comment_count, comment_cap;
	struct gr_declared *declared;
	size_t declared_count, declared_cap;
	/* grant->revisions, in the same order (by number) */
	struct gr_budget_set *revisions;
	size_t revision_count;
	/* paths as opened, for findings */
	const char *budget_path;
	const char *tranches_path;
	const char *disbursements_path;
	const char *comments_path;
	const char *declared_path;
};

void gr_tables_release(struct gr_tables *tables);

/* The budget in force on a day: the latest revision approved on or before
 * it, or the original budget. */
struct gr_budget_view {
	unsigned number;                 /* 1: the original budget */
	gr_date approved;                /* GR_NO_DATE for the original */
	const char *path;
	const struct gr_budget_row *rows;
	size_t count;
};

struct gr_budget_view gr_budget_in_force(const struct gr_tables *tables,
                                         gr_date day);
struct gr_budget_view gr_budget_original(const struct gr_tables *tables);

/* Reads every table grant.ini names; the optional ones may be absent. */
enum gr_status gr_tables_load(struct gr_tables *tables,
                              const struct gr_grant *grant,
                              struct gr_inputs *inputs,
                              struct gr_diags *diags);

#endif
