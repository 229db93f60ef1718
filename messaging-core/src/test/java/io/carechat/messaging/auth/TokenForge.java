package io.carechat.messaging.auth;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Crafts tokens byte by byte, as an attacker would, and holds the test keys. */
final class TokenForge {
    static final String ISSUER = "https://carechat.test";
    static final String AUDIENCE = "carechat";
    static final String SUBJECT = "user-1";

    static final KeyPair RSA = generateRsa();
    static final KeyPair RSA_OTHER = generateRsa();
    static final KeyPair EC = generateEc();

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private TokenForge() {}

    /** The claims of a valid PATIENT access token issued at {@code now} for 15 minutes. */
    static Map<String, Object> validClaims(Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", SUBJECT);
        claims.put("exp", now.getEpochSecond() + 900);
        claims.put("iat", now.getEpochSecond());
        claims.put("jti", "jti-1");
        claims.put("roles", List.of("PATIENT"));
        claims.put("is_admin", false);
        claims.put("is_doctor", false);
        claims.put("is_patient", true);
        claims.put("username", "pat");
        return claims;
    }

    static Map<String, Object> header(String alg, String kid) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("typ", "at+jwt");
        header.put("kid", kid);
        return header;
    }

    static String json(Map<String, Object> map) {
        return JSONObjectUtils.toJSONString(map);
    }

    static String part(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String rs256(Map<String, Object> header, Map<String, Object> claims, PrivateKey key) {
        return rs256(json(header), json(claims), key);
    }

    static String rs256(String headerJson, String claimsJson, PrivateKey key) {
        String input = part(headerJson) + "." + part(claimsJson);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String rs512(Map<String, Object> header, Map<String, Object> claims, PrivateKey key) {
        String input = part(json(header)) + "." + part(json(claims));
        try {
            Signature signature = Signature.getInstance("SHA512withRSA");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hs256(Map<String, Object> header, Map<String, Object> claims, byte[] secret) {
        String input = part(json(header)) + "." + part(json(claims));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unsigned(Map<String, Object> header, Map<String, Object> claims) {
        return part(json(header)) + "." + part(json(claims)) + ".";
    }

    static KeyPair generateRsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generateEc() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
