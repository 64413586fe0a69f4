// The C side of the REPL: libedit's variadic calls (el_set, history) cannot be called
// from Swift, and a signal handler must be plain C. Swift sees only the functions in
// CEditlineShim.h.
#include "CEditlineShim.h"
#include <histedit.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static EditLine *editor;
static History *history_handle;
static HistEvent history_event;

// libedit is opened when the interactive shell starts, not linked: scripts, `-c` and
// piped input never edit a line, and loading libedit with the three libraries it pulls
// in (tinfo, bsd, md) was a tenth of every start-up. Same as libcurl (CCurlShim).
static struct {
    void *lib;
    EditLine *(*el_init)(const char *, FILE *, FILE *, FILE *);
    void (*el_end)(EditLine *);
    int (*el_set)(EditLine *, int, ...);
    const char *(*el_gets)(EditLine *, int *);
    const LineInfo *(*el_line)(EditLine *);
    void (*el_deletestr)(EditLine *, int);
    int (*el_insertstr)(EditLine *, const char *);
    History *(*history_init)(void);
    void (*history_end)(History *);
    int (*history)(History *, HistEvent *, int, ...);
} edit;

static char load_error[512];

static int loaded = 0;

#define FIND(field, name)                                                              \
    if (!(*(void **)&edit.field = dlsym(lib, name))) {                                 \
        snprintf(load_error, sizeof load_error, "%s has no %s", soname, name);         \
        dlclose(lib);                                                                  \
        return -1;                                                                     \
    }

// Debian and Ubuntu name it libedit.so.2, Fedora and Alpine libedit.so.0; the -dev
// package's libedit.so last. The first failure's reason is kept: a libedit.so.2 that
// is there but cannot load (a library it needs is missing) says so.
static int load_editline(void) {
    if (loaded) return 0;
    static const char *names[] = {"libedit.so.2", "libedit.so.0", "libedit.so"};
    void *lib = NULL;
    const char *soname = NULL;
    load_error[0] = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !lib; i++) {
        soname = names[i];
        lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
        if (!lib && !load_error[0]) {
            const char *why = dlerror();
            snprintf(load_error, sizeof load_error, "%s", why ? why : "libedit.so.2 not found");
        }
    }
    if (!lib) return -1;
    FIND(el_init, "el_init")
    FIND(el_end, "el_end")
    FIND(el_set, "el_set")
    FIND(el_gets, "el_gets")
    FIND(el_line, "el_line")
    FIND(el_deletestr, "el_deletestr")
    FIND(el_insertstr, "el_insertstr")
    FIND(history_init, "history_init")
    FIND(history_end, "history_end")
    FIND(history, "history")
    edit.lib = lib;
    loaded = 1;
    return 0;
}

const char *mx_editor_load_error(void) { return load_error; }
static char *current_prompt;
static void *completion_ctx;
static mx_complete_fn completion_fn;

static int interrupt_pipe[2] = {-1, -1};
static volatile sig_atomic_t interrupt_flag;

// During a run (not at the prompt) a second Ctrl-C leaves at once: the journal is
// written before anything is sent, so it still says what is unknown.
static volatile sig_atomic_t presses;
static int second_press_leaves;
static char leave_message[1024];
static volatile sig_atomic_t leave_message_length;

static void on_sigint(int sig) {
    (void)sig;
    if (second_press_leaves && presses++ >= 1) {
        if (leave_message_length > 0) {
            ssize_t ignored = write(2, leave_message, (size_t)leave_message_length);
            (void)ignored;
        }
        _exit(130);
    }
    interrupt_flag = 1;
    if (interrupt_pipe[1] >= 0) {
        int saved = errno;
        ssize_t ignored = write(interrupt_pipe[1], "x", 1);
        (void)ignored;
        errno = saved;
    }
}

void mx_interrupt_install(void) {
    if (interrupt_pipe[0] < 0 && pipe(interrupt_pipe) == 0) {
        fcntl(interrupt_pipe[0], F_SETFL, O_NONBLOCK);
        fcntl(interrupt_pipe[1], F_SETFL, O_NONBLOCK);
        fcntl(interrupt_pipe[0], F_SETFD, FD_CLOEXEC);
        fcntl(interrupt_pipe[1], F_SETFD, FD_CLOEXEC);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    // A blocked SIGINT is inherited across exec (a test harness or a service manager
    // may start us that way): unblock it, or Ctrl-C would never arrive.
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
}

void mx_interrupt_install_run(void) {
    second_press_leaves = 1;
    mx_interrupt_install();
}

void mx_interrupt_set_leave_message(const char *message) {
    size_t n = strlen(message);
    if (n >= sizeof leave_message) n = sizeof leave_message - 1;
    leave_message_length = 0;
    memcpy(leave_message, message, n);
    leave_message_length = (sig_atomic_t)n;
}

int mx_interrupt_wait(int timeout_ms) {
    if (interrupt_pipe[0] < 0) return 0;
    struct pollfd fd = {interrupt_pipe[0], POLLIN, 0};
    int n = poll(&fd, 1, timeout_ms);
    return n > 0 && (fd.revents & POLLIN) ? 1 : 0;
}

static void drain_pipe(void) {
    char buf[64];
    if (interrupt_pipe[0] < 0) return;
    while (read(interrupt_pipe[0], buf, sizeof buf) > 0) {}
}

int mx_interrupt_take(void) {
    if (!interrupt_flag) return 0;
    interrupt_flag = 0;
    return 1;
}

void mx_interrupt_clear(void) {
    interrupt_flag = 0;
    drain_pipe();
}

static char *prompt_fn(EditLine *el) {
    (void)el;
    return current_prompt ? current_prompt : "";
}

void mx_editor_set_prompt(const char *prompt) {
    free(current_prompt);
    current_prompt = strdup(prompt);
}

// Ctrl-C arrives as SIGINT (the terminal keeps ISIG on). Waiting on stdin and the
// self-pipe together is what makes the keypress reliable in a multithreaded process:
// the signal may land on any thread, but the byte in the pipe is seen here.
static int line_interrupted;

static int read_char(EditLine *el, wchar_t *out) {
    for (;;) {
        struct pollfd fds[2] = {{0, POLLIN, 0}, {interrupt_pipe[0], POLLIN, 0}};
        int n = poll(fds, interrupt_pipe[0] >= 0 ? 2 : 1, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (interrupt_pipe[0] >= 0 && (fds[1].revents & POLLIN)) {
            drain_pipe();
            interrupt_flag = 0;
            // End the line with a newline and mark it discarded: libedit rebinds the
            // tty's interrupt character on its own, but a newline always ends a line.
            line_interrupted = 1;
            ssize_t ignored = write(1, "^C", 2);
            (void)ignored;
            *out = '\n';
            return 1;
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            // Decode one UTF-8 character, byte by byte.
            unsigned char bytes[4];
            ssize_t r = read(0, bytes, 1);
            if (r <= 0) {
                if (r < 0 && errno == EINTR) continue;
                return 0;
            }
            // Ctrl-D typed while a statement ran arrives as a byte (the terminal was not
            // in libedit's mode then, and libedit took it for text): on an empty line it
            // still means leave, as it does at a prompt.
            if (bytes[0] == 0x04) {
                const LineInfo *li = edit.el_line(el);
                if (li && li->lastchar == li->buffer) return 0;
            }
            int len = bytes[0] < 0x80 ? 1 : (bytes[0] >> 5) == 6 ? 2 : (bytes[0] >> 4) == 14 ? 3 : (bytes[0] >> 3) == 30 ? 4 : 1;
            for (int i = 1; i < len; i++) {
                if (read(0, bytes + i, 1) != 1) return 0;
            }
            wchar_t wc;
            mbstate_t st;
            memset(&st, 0, sizeof st);
            size_t k = mbrtowc(&wc, (const char *)bytes, (size_t)len, &st);
            *out = (k == (size_t)-1 || k == (size_t)-2) ? (wchar_t)bytes[0] : wc;
            return 1;
        }
    }
}

static unsigned char on_interrupt(EditLine *el, int ch) {
    (void)ch;
    line_interrupted = 1;
    (void)el;
    return CC_NEWLINE;
}

static unsigned char on_complete(EditLine *el, int ch) {
    (void)ch;
    if (!completion_fn) return CC_ERROR;
    const LineInfo *li = edit.el_line(el);
    int cursor = (int)(li->cursor - li->buffer);
    char *before = strndup(li->buffer, (size_t)cursor);
    int replace = 0;
    char *insert = NULL, *listing = NULL;
    completion_fn(completion_ctx, before, cursor, &replace, &insert, &listing);
    free(before);
    unsigned char result = CC_REFRESH;
    if (insert && *insert) {
        if (replace > 0) edit.el_deletestr(el, replace);
        edit.el_insertstr(el, insert);
    } else if (!(listing && *listing)) {
        result = CC_REFRESH_BEEP;
    }
    if (listing && *listing) {
        fprintf(stdout, "\n%s\n", listing);
        fflush(stdout);
        result = CC_REDISPLAY;
    }
    free(insert);
    free(listing);
    return result;
}

int mx_editor_open(const char *program, void *ctx, mx_complete_fn complete) {
    if (load_editline() != 0) return -1;
    completion_ctx = ctx;
    completion_fn = complete;
    editor = edit.el_init(program, stdin, stdout, stderr);
    if (!editor) {
        snprintf(load_error, sizeof load_error, "libedit could not start on this terminal");
        return -2;
    }
    history_handle = edit.history_init();
    edit.history(history_handle, &history_event, H_SETSIZE, 2000);
    edit.history(history_handle, &history_event, H_SETUNIQUE, 1);
    edit.el_set(editor, EL_HIST, edit.history, history_handle);
    edit.el_set(editor, EL_EDITOR, "emacs");
    edit.el_set(editor, EL_PROMPT, prompt_fn);
    edit.el_set(editor, EL_SIGNAL, 1);
    edit.el_set(editor, EL_GETCFN, read_char);
    edit.el_set(editor, EL_ADDFN, "mx-complete", "complete the word before the cursor", on_complete);
    edit.el_set(editor, EL_BIND, "^I", "mx-complete", NULL);
    edit.el_set(editor, EL_ADDFN, "mx-interrupt", "discard the line (Ctrl-C)", on_interrupt);
    edit.el_set(editor, EL_BIND, "^C", "mx-interrupt", NULL);
    return 0;
}

void mx_editor_close(void) {
    if (editor) edit.el_end(editor);
    if (history_handle) edit.history_end(history_handle);
    editor = NULL;
    history_handle = NULL;
}

char *mx_editor_read(int *interrupted) {
    line_interrupted = 0;
    drain_pipe();
    interrupt_flag = 0;
    int count = 0;
    const char *line = edit.el_gets(editor, &count);
    *interrupted = line_interrupted;
    if (line_interrupted) {
        return strdup("");
    }
    if (!line || count <= 0) return NULL;
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
    return strndup(line, len);
}

int mx_history_load(const char *path) {
    if (!history_handle) return -1;
    return edit.history(history_handle, &history_event, H_LOAD, path);
}

int mx_history_save(const char *path) {
    if (!history_handle) return -1;
    // The file may hold what an admin typed: written to a new private file beside it
    // (mkstemp: 0600, O_EXCL, never a link someone planted) and renamed over it, which
    // replaces a link at `path` instead of writing through it.
    size_t size = strlen(path) + sizeof(".XXXXXX");
    char *temporary = malloc(size);
    if (!temporary) return -1;
    snprintf(temporary, size, "%s.XXXXXX", path);
    int fd = mkstemp(temporary);
    FILE *file = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!file) {
        if (fd >= 0) {
            close(fd);
            unlink(temporary);
        }
        free(temporary);
        return -1;
    }
    int saved = edit.history(history_handle, &history_event, H_SAVE_FP, file);
    if (fclose(file) != 0) saved = -1;
    if (saved < 0 || rename(temporary, path) != 0) {
        unlink(temporary);
        saved = -1;
    }
    free(temporary);
    return saved;
}

void mx_history_add(const char *line) {
    if (history_handle) edit.history(history_handle, &history_event, H_ENTER, line);
}

int mx_history_forget(const char *line) {
    if (!history_handle) return 0;
    HistEvent ev;
    int removed = 0;
    // Newest first; after a delete the walk starts again, the cursor being undefined.
    for (int again = 1; again;) {
        again = 0;
        if (edit.history(history_handle, &ev, H_FIRST) == -1) break;
        do {
            if (ev.str && strcmp(ev.str, line) == 0) {
                int num = ev.num;
                if (edit.history(history_handle, &ev, H_DEL, num) == -1) return removed;
                removed++;
                again = 1;
                break;
            }
        } while (edit.history(history_handle, &ev, H_NEXT) != -1);
    }
    return removed;
}
