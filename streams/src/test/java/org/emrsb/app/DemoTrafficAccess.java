package org.emrsb.app;

/** Test access to the demo's fixed attachment. */
public final class DemoTrafficAccess {

    private DemoTrafficAccess() {
    }

    public static byte[] attachment() {
        return DemoTraffic.DEMO_ATTACHMENT.clone();
    }
}
