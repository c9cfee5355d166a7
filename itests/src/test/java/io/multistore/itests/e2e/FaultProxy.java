package io.multistore.itests.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network fault injector between the gateway and a real S3 server (S3Proxy): a TCP proxy on loopback that passes
 * bytes through, except on its first {@code faultyConnections} connections, where it injects one fault. It speaks no
 * S3; the one fault that writes HTTP ({@link Fault#SLOW_DOWN}) writes the throttling answer S3 sends.
 */
final class FaultProxy implements AutoCloseable {

    enum Fault {
        /** The connection is reset before a byte of the answer (after the request arrived). */
        RESET_BEFORE_ANSWER,
        /** The answer is cut by a reset after {@code limit} bytes. */
        RESET_ANSWER_AFTER,
        /** The request is cut by a reset after {@code limit} bytes. */
        RESET_REQUEST_AFTER,
        /** The answer trickles at {@code limit} bytes per second. */
        SLOW_ANSWER,
        /** The request is answered {@code 503 SlowDown} and the connection closed. */
        SLOW_DOWN
    }

    private final ServerSocket server;
    private final int targetPort;
    private final Fault fault;
    private final int faultyConnections;
    private final long limit;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();
    private final Queue<Socket> open = new ConcurrentLinkedQueue<>();
    private final Thread acceptor;

    FaultProxy(int targetPort, Fault fault, int faultyConnections, long limit) throws IOException {
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.fault = fault;
        this.faultyConnections = faultyConnections;
        this.limit = limit;
        this.acceptor = new Thread(this::accept, "fault-proxy-" + fault);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** How many faults were injected so far. */
    int faults() {
        return faults.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                boolean faulty = connections.getAndIncrement() < faultyConnections;
                Thread t = new Thread(() -> serve(client, faulty), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client, boolean faulty) {
        try {
            if (faulty && fault == Fault.RESET_BEFORE_ANSWER) {
                client.getInputStream().read(new byte[8192]);
                faults.incrementAndGet();
                reset(client);
                return;
            }
            if (faulty && fault == Fault.SLOW_DOWN) {
                slowDown(client);
                return;
            }
            Socket backend = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            open.add(backend);
            boolean cutRequest = faulty && fault == Fault.RESET_REQUEST_AFTER;
            boolean cutAnswer = faulty && fault == Fault.RESET_ANSWER_AFTER;
            boolean slow = faulty && fault == Fault.SLOW_ANSWER;
            Thread up = new Thread(() -> pump(client, backend, cutRequest ? limit : Long.MAX_VALUE, 0),
                    "fault-proxy-up");
            up.setDaemon(true);
            up.start();
            pump(backend, client, cutAnswer ? limit : Long.MAX_VALUE, slow ? limit : 0);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** Copies {@code from} to {@code to}; after {@code cutAfter} bytes resets both; optionally at a byte rate. */
    private void pump(Socket from, Socket to, long cutAfter, long bytesPerSecond) {
        byte[] buffer = new byte[bytesPerSecond > 0 ? (int) Math.max(1, bytesPerSecond / 10) : 65536];
        long copied = 0;
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) > 0;) {
                if (copied + n > cutAfter) {
                    out.write(buffer, 0, (int) (cutAfter - copied));
                    out.flush();
                    faults.incrementAndGet();
                    reset(from);
                    reset(to);
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
                copied += n;
                if (bytesPerSecond > 0) {
                    Thread.sleep(100);
                }
            }
            to.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void slowDown(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        // the request head (the GETs this answers carry no body)
        int state = 0;
        for (int b; state < 4 && (b = in.read()) >= 0;) {
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : 0;
        }
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please "
                + "reduce your request rate.</Message><RequestId>FAULT</RequestId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        faults.incrementAndGet();
        client.close();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed already
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s; (s = open.poll()) != null;) {
            closeQuietly(s);
        }
    }
}
