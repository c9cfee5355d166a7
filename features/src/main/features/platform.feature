# Framework services every other feature builds on.
boot org.apache.aries.spifly:org.apache.aries.spifly.dynamic.bundle
boot org.ow2.asm:asm
boot org.ow2.asm:asm-commons
boot org.ow2.asm:asm-util
boot org.ow2.asm:asm-tree
boot org.ow2.asm:asm-analysis
boot org.slf4j:slf4j-api
boot org.slf4j:slf4j-simple
bundle org.osgi:org.osgi.service.component
bundle org.osgi:org.osgi.util.promise
bundle org.osgi:org.osgi.util.function
bundle org.apache.felix:org.apache.felix.scr
bundle org.apache.felix:org.apache.felix.configadmin
# $[prop:…]/$[env:…]/$[secret:…] placeholders in configurations (secrets stay out of the Config Admin store)
bundle org.osgi:org.osgi.util.converter
bundle org.apache.felix:org.apache.felix.configadmin.plugin.interpolation
bundle org.apache.felix:org.apache.felix.metatype
bundle org.apache.felix:org.apache.felix.fileinstall
bundle org.apache.felix:org.apache.felix.log
