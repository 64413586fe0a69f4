#ifndef MX_EDITLINE_SHIM_H
#define MX_EDITLINE_SHIM_H
#include <stddef.h>

/// Completion asked of Swift: given the line up to the cursor, it fills `replace_len`
/// (bytes before the cursor to replace), `insert` (text to put there) and `listing`
/// (candidates to show, or empty). Strings returned are malloc'd; the shim frees them.
typedef void (*mx_complete_fn)(void *ctx, const char *line, int cursor,
                               int *replace_len, char **insert, char **listing);

/// Opens libedit (dlopen, on first use) and starts it on stdin/stdout with emacs keys,
/// Tab completion, and Ctrl-C that clears the line instead of killing the process.
/// Returns 0 on success; -1 when libedit could not be loaded, -2 when it would not start
/// on this terminal; mx_editor_load_error() then says why.
int mx_editor_open(const char *program, void *ctx, mx_complete_fn complete);
const char *mx_editor_load_error(void);
void mx_editor_close(void);
void mx_editor_set_prompt(const char *prompt);
/// Reads one line (without its newline). Returns NULL at end of input (Ctrl-D);
/// sets *interrupted when Ctrl-C ended the line, in which case the line is discarded.
/// The result is malloc'd.
char *mx_editor_read(int *interrupted);

int mx_history_load(const char *path);
int mx_history_save(const char *path);
void mx_history_add(const char *line);
/// Removes every entry equal to `line` from the history in memory (save it after);
/// returns how many.
int mx_history_forget(const char *line);

/// Installs the SIGINT handler (self-pipe + flag). Safe to call once at start.
void mx_interrupt_install(void);
/// True once per Ctrl-C received since the last call; for cancelling a running statement.
int mx_interrupt_take(void);
/// Forgets Ctrl-C presses that were meant for a statement that has finished.
void mx_interrupt_clear(void);
/// The handler for a run: the first Ctrl-C is reported as above, the second writes the
/// leave message to stderr and exits with status 130 at once.
void mx_interrupt_install_run(void);
/// What the second Ctrl-C of a run prints before leaving (copied; up to 1023 bytes).
void mx_interrupt_set_leave_message(const char *message);
/// Waits up to timeout_ms (-1: for ever) for a Ctrl-C; 1 when one came. The byte stays
/// in the pipe: call mx_interrupt_clear to consume it.
int mx_interrupt_wait(int timeout_ms);

#endif
