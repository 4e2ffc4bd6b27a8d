/**
 * Kafka Connect source connectors that publish HL7 v2 and FHIR R4 records to {@code emr.intake}
 * (thin Connector + Task + ConfigDef layout). The module exists so the reactor's shape is final;
 * the connectors issue fills it.
 */
package org.emrsb.connectors;
