/*
 * tend-fast: `tend ping` and `tend jlist` without starting Node, when the daemon is there.
 *
 * Scripts, health checks and monitoring run these two verbs in loops. Through Node each run
 * costs Node's own start (40-80 ms of CPU on the machines tend is measured on) before a byte
 * reaches the daemon; this client costs about a millisecond plus the daemon's reply. It does
 * the one common case only: a private home, our daemon answering on its socket, a successful
 * reply. Anything else, before a byte was printed, hands over to the Node fast path
 * (tend-fast.cjs) by exec: it starts a missing daemon, waits for one that is starting, and
 * words every error. So tend's behaviour and messages stay in one place, the TypeScript.
 *
 * Usage (from the launcher, tend.sh): tend-fast NODE FAST_CJS ping|jlist
 *
 * The protocol is tend's (src/ipc): newline-delimited JSON over $TEND_HOME/tend.sock. The hello
 * and the request go out together; the daemon answers a connection's frames in order. The
 * request's successful reply is {"id":2,"ok":true,"result":RESULT}\n, and RESULT, as the
 * daemon encoded it, is what `tend jlist` and `tend ping` print, followed by a newline.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* The same bounds as src/core/home.ts: who may write to, or read, what tend trusts. */
#define OTHERS_WRITE 022
#define OTHERS_ANY 077
/* src/ipc/client.ts DEFAULT_DEADLINE_MS; TEND_DAEMON_DEADLINE_MS overrides it. */
#define DEFAULT_DEADLINE_MS 20000
/* A hello reply is ~100 bytes; anything this long is not one. */
#define READ_BYTES 65536
#define MAX_HELLO_BYTES READ_BYTES

enum kind { FOLDER, REGULAR, SOCKET };

struct entry {
  const char *name; /* inside the home; "" is the home itself */
  enum kind kind;
  mode_t forbidden;
};

/* src/core/home.ts homeEntries: the files tend trusts, each checked as there. */
static const struct entry HOME_ENTRIES[] = {
    {"", FOLDER, OTHERS_WRITE},
    {"/tend.sock", SOCKET, OTHERS_ANY},
    {"/tend.lock", SOCKET, OTHERS_ANY},
    {"/state.json", REGULAR, OTHERS_ANY},
    {"/dump.json", REGULAR, OTHERS_ANY},
    {"/dump.json.bak", REGULAR, OTHERS_ANY},
    {"/web.token", REGULAR, OTHERS_ANY},
    {"/config.json", REGULAR, OTHERS_WRITE},
    {"/daemon.pid", REGULAR, OTHERS_WRITE},
    {"/logs", FOLDER, OTHERS_WRITE},
};

static char *const *fallback_argv;

/* Hands the whole command to the Node fast path; only ever before anything was printed. */
static void fall_back(int fd) {
  if (fd >= 0) close(fd);
  execvp(fallback_argv[0], fallback_argv);
  fprintf(stderr, "tend: could not run %s: %s\n", fallback_argv[0], strerror(errno));
  exit(1);
}

static void fail(const char *message) {
  fprintf(stderr, "tend: %s\n", message);
  exit(1);
}

/* TEND_HOME as src/core/paths.ts resolves it, or NULL where this client would have to guess. */
static char *resolve_home(void) {
  const char *configured = getenv("TEND_HOME");
  const char *base = configured && *configured ? configured : getenv("HOME");
  const char *suffix = configured && *configured ? "" : "/.tend";
  if (base == NULL || base[0] != '/') return NULL;
  size_t length = strlen(base) + strlen(suffix);
  char *home = malloc(length + 1);
  if (home == NULL) return NULL;
  strcpy(home, base);
  strcat(home, suffix);
  /* Node's path.resolve drops trailing slashes, so lstat sees a link rather than follow it. */
  while (length > 1 && home[length - 1] == '/') home[--length] = '\0';
  /* Other spellings it would normalise are left to it. */
  if (strstr(home, "//") || strstr(home, "/./") || strstr(home, "/../")) return NULL;
  if ((length >= 2 && strcmp(home + length - 2, "/.") == 0) || (length >= 3 && strcmp(home + length - 3, "/..") == 0)) return NULL;
  return home;
}

/* 1 when the home and every file in it that tend trusts pass src/core/home.ts's checks. */
static int is_private_home(const char *home) {
  char path[4096];
  uid_t uid = getuid();
  for (size_t i = 0; i < sizeof HOME_ENTRIES / sizeof HOME_ENTRIES[0]; i++) {
    const struct entry *entry = &HOME_ENTRIES[i];
    if ((size_t)snprintf(path, sizeof path, "%s%s", home, entry->name) >= sizeof path) return 0;
    struct stat st;
    if (lstat(path, &st) != 0) {
      if (errno == ENOENT && i > 0) continue;
      return 0; /* no home at all: the Node path makes one and starts a daemon */
    }
    int right_kind = entry->kind == FOLDER ? S_ISDIR(st.st_mode) : entry->kind == SOCKET ? S_ISSOCK(st.st_mode) : S_ISREG(st.st_mode);
    if (!right_kind || st.st_uid != uid || (st.st_mode & entry->forbidden) != 0) return 0;
  }
  return 1;
}

static int connect_daemon(const char *home) {
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  if ((size_t)snprintf(address.sun_path, sizeof address.sun_path, "%s/tend.sock", home) >= sizeof address.sun_path) return -1;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    close(fd);
    return -1;
  }
  /*
   * The socket file is ours, in a folder only we can write; the kernel also says who listens on
   * it. Nothing is sent to a process of another user, and the Node path, which cannot ask, is
   * not handed the case.
   */
  struct ucred peer;
  socklen_t size = sizeof peer;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0) {
    close(fd);
    return -1;
  }
  if (peer.uid != getuid()) {
    fprintf(stderr, "tend: the process answering on %s runs as uid %u, not as you (uid %u); refusing to use it\n", address.sun_path, (unsigned)peer.uid, (unsigned)getuid());
    exit(1);
  }
  return fd;
}

static int deadline_ms(void) {
  const char *text = getenv("TEND_DAEMON_DEADLINE_MS");
  if (text == NULL) return DEFAULT_DEADLINE_MS;
  char *end;
  double value = strtod(text, &end);
  if (end == text || *end != '\0' || !(value > 0) || value > 2e9) return DEFAULT_DEADLINE_MS;
  return value < 1 ? 1 : (int)value;
}

static void write_all(int fd, const char *bytes, size_t length) {
  while (length > 0) {
    ssize_t written = write(fd, bytes, length);
    if (written >= 0) {
      bytes += written;
      length -= (size_t)written;
    } else if (errno == EAGAIN) {
      /* A stdout some other process left non-blocking: wait until it drains. */
      struct pollfd ready = {.fd = fd, .events = POLLOUT};
      poll(&ready, 1, -1);
    } else if (errno == EPIPE || errno == ECONNRESET) {
      /* The reader is gone (`tend jlist | head`): as the Node path, quietly. A stdout that is a
       * socket (Node's child_process makes its pipes of socket pairs) reports it as a reset. */
      exit(0);
    } else if (errno != EINTR) {
      fprintf(stderr, "tend: could not write the reply to stdout: %s\n", strerror(errno));
      exit(1);
    }
  }
}

/*
 * Reads what the daemon sends into buffer[offset..capacity); the bytes read, or 0 at the end of
 * the connection. A daemon silent for the whole deadline is given up on as the Node client does.
 */
static size_t read_some(int fd, char *buffer, size_t capacity, int printed) {
  for (;;) {
    struct pollfd ready = {.fd = fd, .events = POLLIN};
    int deadline = deadline_ms();
    int events = poll(&ready, 1, deadline);
    if (events < 0 && errno == EINTR) continue;
    if (events == 0) {
      fprintf(stderr, "tend: the tend daemon did not answer within %.1f s (it may be stuck or overloaded)\n", deadline / 1000.0);
      exit(1);
    }
    ssize_t got = read(fd, buffer, capacity);
    if (got > 0) return (size_t)got;
    if (got < 0 && errno == EINTR) continue;
    if (printed) fail("the connection to the daemon closed");
    return 0;
  }
}

int main(int argc, char **argv) {
  if (argc != 4 || (strcmp(argv[3], "ping") != 0 && strcmp(argv[3], "jlist") != 0)) {
    fputs("tend-fast: usage: tend-fast NODE FAST_CJS ping|jlist (the tend command runs it)\n", stderr);
    return 2;
  }
  char *fallback[] = {argv[1], argv[2], argv[3], NULL};
  fallback_argv = fallback;
  signal(SIGPIPE, SIG_IGN);

  char *home = resolve_home();
  if (home == NULL || !is_private_home(home)) fall_back(-1);
  int fd = connect_daemon(home);
  if (fd < 0) fall_back(-1);

  char request[160];
  int length = snprintf(request, sizeof request, "{\"id\":1,\"method\":\"hello\",\"params\":{\"protocol\":1,\"client\":\"tend\"}}\n{\"id\":2,\"method\":\"%s\"}\n",
                        strcmp(argv[3], "jlist") == 0 ? "list" : "ping");
  if (send(fd, request, (size_t)length, MSG_NOSIGNAL) != length) fall_back(fd);

  /* One byte before the reading room: the byte held back from the previous read goes there. */
  static char buffer[1 + READ_BYTES];
  char *room = buffer + 1;
  size_t have = 0;

  /* The hello's answer: anything but a success (another protocol...) is the Node path's to word. */
  const char *hello_head = "{\"id\":1,\"ok\":true,";
  char *newline = NULL;
  while (newline == NULL) {
    if (have >= MAX_HELLO_BYTES) fall_back(fd);
    size_t got = read_some(fd, room + have, READ_BYTES - have, 0);
    if (got == 0) fall_back(fd);
    newline = memchr(room + have, '\n', got);
    have += got;
  }
  if ((size_t)(newline - room) < strlen(hello_head) || memcmp(room, hello_head, strlen(hello_head)) != 0) fall_back(fd);
  size_t rest = have - (size_t)(newline + 1 - room);
  memmove(room, newline + 1, rest);
  have = rest;

  /* The request's reply, up to the start of its result: an error reply is the Node path's too. */
  const char *reply_head = "{\"id\":2,\"ok\":true,\"result\":";
  size_t head_length = strlen(reply_head);
  while (have < head_length + 1) {
    size_t got = read_some(fd, room + have, READ_BYTES - have, 0);
    if (got == 0) fall_back(fd);
    have += got;
  }
  if (memcmp(room, reply_head, head_length) != 0) fall_back(fd);

  /*
   * The result, printed as it arrives. JSON text holds no raw newline, so the first one ends the
   * frame; the byte before it closes the frame's object and is not printed. Each read's last
   * byte is held back until the next read shows it was not that one.
   */
  char *data = room + head_length;
  size_t count = have - head_length;
  int printed = 0;
  int holding = 0;
  for (;;) {
    newline = memchr(data, '\n', count);
    size_t body = newline ? (size_t)(newline - data) : count;
    if (holding) {
      data[-1] = buffer[0];
      data--;
      body++;
    }
    if (newline) {
      if (body == 0 || data[body - 1] != '}') fail("the daemon sent a reply the client cannot read");
      write_all(STDOUT_FILENO, data, body - 1);
      break;
    }
    if (body > 0) {
      write_all(STDOUT_FILENO, data, body - 1);
      buffer[0] = data[body - 1];
      holding = 1;
      printed = printed || body > 1;
    }
    count = read_some(fd, room, READ_BYTES, printed);
    if (count == 0) fall_back(fd);
    data = room;
  }
  write_all(STDOUT_FILENO, "\n", 1);
  close(fd);
  return 0;
}
