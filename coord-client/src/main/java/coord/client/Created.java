package coord.client;

import coord.api.v1.Stat;

/** The result of a create: the path as created (with its sequence suffix, if any) and the new node's stat. */
public record Created(String path, Stat stat) {}
