/**
 * IPFS in plain Java (no Kafka types, no IPFS library): {@link org.emrsb.core.ipfs.Cid} (CIDv1 raw and
 * dag-pb, CIDv0; base32 and base58btc), {@link org.emrsb.core.ipfs.UnixFs} (the CID a node gives a file
 * added with {@code --cid-version=1 --raw-leaves --chunker=size-262144}, computed locally while
 * streaming) and {@link org.emrsb.core.ipfs.KuboClient} (the Kubo RPC API on {@code java.net.http}).
 *
 * <p>The rule the offload stage builds on: a CID goes further only if the node's answer and the local
 * computation agree, byte for byte, with the same size. CIDs are compared as bytes, never as strings
 * (nodes print them in different bases). The CID rules and the client's error mapping are in
 * {@code docs/ipfs.md}; every rule is pinned by Kubo's published vectors in the tests.
 */
package org.emrsb.core.ipfs;
