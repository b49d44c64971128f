//! Ending the process: `process::exit`, also when the kernel refuses to end it.

mod common;

/// The signal the architecture's trap instruction raises (`arch/*.rs`, "Trap").
const TRAP_SIGNAL: libc::c_int = if cfg!(target_arch = "aarch64") {
    libc::SIGTRAP
} else {
    libc::SIGILL
};

/// A child's exit status that says the seccomp filter could not be installed.
const NO_SECCOMP: libc::c_int = 77;

/// A seccomp filter that makes `exit_group` fail with `EPERM` and allows every other call.
fn exit_group_fails_filter() -> [libc::sock_filter; 4] {
    const LOAD_NR: u16 = (libc::BPF_LD | libc::BPF_W | libc::BPF_ABS) as u16;
    const JUMP_IF_EQUAL: u16 = (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16;
    const RETURN: u16 = (libc::BPF_RET | libc::BPF_K) as u16;
    let op = |code, jt, jf, k| libc::sock_filter { code, jt, jf, k };
    [
        // `seccomp_data.nr` is its first field.
        op(LOAD_NR, 0, 0, 0),
        op(JUMP_IF_EQUAL, 0, 1, libc::SYS_exit_group as u32),
        op(RETURN, 0, 0, libc::SECCOMP_RET_ERRNO | libc::EPERM as u32),
        op(RETURN, 0, 0, libc::SECCOMP_RET_ALLOW),
    ]
}

/// `exit_group` made to return (as a seccomp filter or a tracer can) must not run on into
/// whatever code follows the `noreturn` asm block: the trap instruction after it ends the
/// process with the architecture's trap signal. (rustc's default `TrapUnreachable` puts one
/// there too, so this passes without barecall's own; barecall's keeps it true under
/// `-Z trap-unreachable=no`, which this test cannot build with on stable.)
#[test]
fn exit_that_the_kernel_refuses_traps() {
    let _check = common::FdCheck::new();
    let filter = exit_group_fails_filter();
    let program = libc::sock_fprog {
        len: filter.len() as u16,
        filter: filter.as_ptr() as *mut _,
    };
    // SAFETY: the child makes only async-signal-safe calls (prctl, setrlimit, the exit) and
    // never returns into the test harness: it exits or dies.
    let child = unsafe { libc::fork() };
    assert!(child >= 0, "fork failed");
    if child == 0 {
        unsafe {
            // No core file from the trap.
            let no_core = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &no_core);
            if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                || libc::prctl(
                    libc::PR_SET_SECCOMP,
                    libc::SECCOMP_MODE_FILTER,
                    &program as *const libc::sock_fprog,
                ) != 0
            {
                // exit_group itself is not filtered yet.
                libc::_exit(NO_SECCOMP);
            }
        }
        barecall::process::exit(0);
    }
    let mut status = 0;
    // SAFETY: `child` is this process's child; `status` is a live int.
    assert_eq!(unsafe { libc::waitpid(child, &mut status, 0) }, child);
    if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == NO_SECCOMP {
        // qemu-user refuses PR_SET_SECCOMP (a filter would judge qemu's own host calls).
        assert!(
            common::under_qemu_user(),
            "seccomp filters are refused here"
        );
        common::skip(
            "exit_that_the_kernel_refuses_traps",
            "qemu-user refuses seccomp filters",
        );
        return;
    }
    assert!(
        libc::WIFSIGNALED(status),
        "the child was not killed by a signal: status {status:#x}"
    );
    assert_eq!(libc::WTERMSIG(status), TRAP_SIGNAL, "status {status:#x}");
}

/// The plain case, for contrast: the status reaches the parent.
#[test]
fn exit_status_reaches_the_parent() {
    let _check = common::FdCheck::new();
    // SAFETY: the child only exits.
    let child = unsafe { libc::fork() };
    assert!(child >= 0, "fork failed");
    if child == 0 {
        barecall::process::exit(0x1234_5642);
    }
    let mut status = 0;
    // SAFETY: `child` is this process's child; `status` is a live int.
    assert_eq!(unsafe { libc::waitpid(child, &mut status, 0) }, child);
    assert!(libc::WIFEXITED(status), "status {status:#x}");
    // Only the low 8 bits of the status survive.
    assert_eq!(libc::WEXITSTATUS(status), 0x42);
}
