package org.d2lcl;

/** A hyper-parameter outside its allowed range; the message names the value and the range. */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
