/*
 * Preloaded before Debian's libfaketime 0.9.10 when CI moves the wall clock: with the monotonic clock
 * left real (FAKETIME_DONT_FAKE_MONOTONIC=1, which thread waits with timeouts need), that libfaketime
 * still rewrites absolute monotonic deadlines given to clock_nanosleep, and Python 3.11's time.sleep()
 * fails with EINVAL. A monotonic sleep goes straight to the kernel here; any other goes on to
 * libfaketime. Newer libfaketime releases fixed this upstream.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *request, struct timespec *remain) {
    if (clock == CLOCK_MONOTONIC) {
        return syscall(SYS_clock_nanosleep, clock, flags, request, remain) == 0 ? 0 : errno;
    }
    static int (*next)(clockid_t, int, const struct timespec *, struct timespec *);
    if (next == NULL) {
        next = (int (*)(clockid_t, int, const struct timespec *, struct timespec *))dlsym(RTLD_NEXT, "clock_nanosleep");
    }
    return next(clock, flags, request, remain);
}
