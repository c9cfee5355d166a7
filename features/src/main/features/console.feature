# The read-only Multistore page of the Web Console.
require core
require webconsole
bundle io.multistore:io.multistore.console
