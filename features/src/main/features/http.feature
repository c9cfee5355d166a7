# Felix HTTP on Jetty 12 (jakarta Servlet Whiteboard) and the S3 front end.
require platform
require core
bundle org.apache.felix:org.apache.felix.http.servlet-api
bundle org.apache.felix:org.apache.felix.http.jetty12
bundle commons-fileupload:commons-fileupload
bundle commons-io:commons-io
bundle io.multistore:io.multistore.http
