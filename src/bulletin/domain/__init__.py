"""The newsroom's vocabulary: blogs, posts, blocks, roles, events — rules without I/O."""
