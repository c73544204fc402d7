package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The guess {@code main} makes before parsing, to load the OpenCL runtime in the background: yes
 * for the commands that open a device, no for help, the version, the Java backend, other commands.
 */
class StartUpTest {
    @ParameterizedTest(name = "[{0}] with D2LCL_DEVICE={1}: {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "train                          | -    | true",
        "train --epochs 3               | 0    | true",
        "sweep --lr 0.01,0.1            | -    | true",
        "sweep --device java            | -    | false",
        "online                         | -    | true",
        "predict --model m.json         | -    | true",
        "devices                        | -    | true",
        "train --device java            | -    | false",
        "train --device=JAVA            | -    | false",
        "train --device ' java '        | -    | false",
        "train                          | java | false",
        "train --device 0               | java | true",
        "train --device=0 --device java | -    | false",
        "train --help                   | -    | false",
        "train -V                       | -    | false",
        "help train                     | -    | false",
        "''                             | -    | false",
        "--version                      | -    | false",
    })
    void loadsTheRuntimeEarlyOnlyForCommandsThatOpenADevice(String line, String env, boolean expected) {
        String[] args = line.isEmpty() ? new String[0] : line.replace("' java '", "\u0000").split(" ");
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i].replace("\u0000", " java ");
        }
        assertEquals(expected, Main.usesDevice(args, env));
    }
}
