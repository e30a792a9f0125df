/*
 * commands.h: the commands that parse their own options. Each is
 * cmd_<name>(argc, argv) in cli/cmd_<name>.c, argv[0] being the command's
 * name, and returns the exit code (0 done; 1 findings or differences; 2
 * bad input or usage; 3 the system failed).
 */
#ifndef GRANTREC_CLI_COMMANDS_H
#define GRANTREC_CLI_COMMANDS_H

#endif
