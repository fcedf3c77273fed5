/** The client's JSON: its mapper, the rules for what may be sent as arguments, and status parsing. Not API. */
@NullMarked
package dev.falclient.internal.json;

import org.jspecify.annotations.NullMarked;
