/*
 * progress_line.h: one line on standard error that says how far a long run
 * has come, redrawn in place, and wiped before anything else is printed.
 * Shown only to a person: standard error a terminal, not under CI, not
 * with -q, and only once a run has taken more than a second.
 */
#ifndef GRANTREC_PROGRESS_LINE_H
#define GRANTREC_PROGRESS_LINE_H

#include <stdbool.h>

/* Decides whether to show progress and, if so, starts listening. */
void progress_line_start(bool quiet);
/* Wipes the line (before a summary or a message is printed). */
void progress_line_clear(void);
/* Wipes the line and stops listening. */
void progress_line_stop(void);

#endif
