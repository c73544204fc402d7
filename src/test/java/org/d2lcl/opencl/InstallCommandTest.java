package org.d2lcl.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The install command says {@code sudo} to everyone but root: the effective uid in /proc, else user.name. */
class InstallCommandTest {
    private static final String APT = "apt-get install -y pocl-opencl-icd ocl-icd-opencl-dev";

    private static List<String> status(String uids) {
        return List.of("Name:\tjava", "Umask:\t0022", "Uid:\t" + uids, "Gid:\t" + uids);
    }

    @Test
    void sudoUnlessTheEffectiveUserIsRoot() {
        assertEquals("sudo " + APT, OpenCl.installCommand(status("1000\t1000\t1000\t1000"), "root"));
        assertEquals(APT, OpenCl.installCommand(status("0\t0\t0\t0"), "alice"));
        assertEquals(APT, OpenCl.installCommand(status("1000\t0\t0\t0"), "alice"), "setuid root: effective uid 0");
        assertEquals("sudo " + APT, OpenCl.installCommand(status("0\t1000\t1000\t1000"), "root"));
    }

    @Test
    void withoutProcTheUserNameDecides() {
        assertEquals(APT, OpenCl.installCommand(List.of(), "root"));
        assertEquals("sudo " + APT, OpenCl.installCommand(List.of(), "alice"));
        assertEquals("sudo " + APT, OpenCl.installCommand(List.of(), null));
    }

    @Test
    void thisProcessAgreesWithId() throws Exception {
        Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(id.getInputStream().readAllBytes()).strip();
        assertEquals(0, id.waitFor());
        assertEquals(uid.equals("0") ? APT : "sudo " + APT, OpenCl.INSTALL_COMMAND, "id -u = " + uid);
    }
}
